"""Reading mailboxes (``ports.inbox.InboxReader``): the Gmail API over httpx."""
