"""Content pages, the library and newsletters over HTTP (spec: Content Management, Creating/Retrieve/Delete
Library Content, Subscribe/Unsubscribe/Create/Get NewsLetter, Unregistered Users Subscribe To Newsletter)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from adapters.http.content.schemas import (
    EmailSubscribeBody,
    LibraryForm,
    LibraryRead,
    NewsletterArchiveRead,
    NewsletterForm,
    NewsletterPageRead,
    NewsletterRead,
    PageBody,
    PageChangeBody,
    PageContentRead,
    PageCreatedRead,
    PageMissingRead,
    PageRead,
    PageUpdatedRead,
    StatusRead,
    SubscriberMiniRead,
    SubscriptionRead,
)
from adapters.http.pagination import page_envelope, page_request
from adapters.http.security import BEARER, Principal
from adapters.http.wire import NO_NUL, Site, client_ip, convert, read_body, to_upload
from core.content.library import LibraryInput, LibraryService
from core.content.model.library import LibraryItem
from core.content.model.newsletters import Newsletter
from core.content.newsletters import ARCHIVE_PAGE_SIZE, UNSUBSCRIBED, NewsletterInput, NewsletterService
from core.content.pages import ContentPagesService, PageChange
from core.shared.errors import InvalidInput

__all__ = ("LibraryController", "NewsletterController", "NewsletterVisitorController", "PagesController")

Pages = NamedDependency[ContentPagesService]
Library = NamedDependency[LibraryService]
Newsletters = NamedDependency[NewsletterService]
Me = NamedDependency[Principal]
SiteDep = NamedDependency[Site]
OptionalId = Annotated[int | None, QueryParameter(ge=1, le=2**63 - 1)]
TitleQuery = Annotated[str | None, QueryParameter(max_length=200, pattern=NO_NUL)]
SearchQuery = Annotated[str | None, QueryParameter(max_length=100, pattern=NO_NUL)]
PageQuery = Annotated[str | None, QueryParameter(max_length=20, pattern=NO_NUL)]

ADMIN_ONLY = (
    " Administrators only; others get 403 `{\"detail\": \"You do not have permission to perform this action.\"}`."
)
LIBRARY_MAX_BODY = 6_000_000
NEWSLETTER_MAX_BODY = 6_000_000


def _library_read(item: LibraryItem) -> LibraryRead:
    return LibraryRead(id=item.id, title=item.title, description=item.description, tags=item.tags, file=item.file)


def _newsletter_read(n: Newsletter) -> NewsletterRead:
    return NewsletterRead(id=n.id, title=n.title, content=n.content, image=n.image, timestamp=n.created_at)


def _tags(raw: str | list[str]) -> list[str]:
    """A JSON list (multipart sends it as text), or a list in a JSON body."""
    if isinstance(raw, list):
        return raw
    text = raw.strip()
    if not text:
        return []
    try:
        value = msgspec.json.decode(text)
    except msgspec.DecodeError:
        value = None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput.field("tags", "Tags must be a list of Texts.")
    return value


class PagesController(Controller):
    path = "/info"
    tags = ["Info"]

    @get(
        "/",
        summary="Content Management",
        description=(
            "Public. `title` (e.g. `tos`, `privacy`) → that page. No title → 400 `{\"Status\": \"Failed\", "
            "\"Message\": \"No query parameter provided.\", \"Available_titles\": [...]}`; an unknown one → 404 "
            "`{\"Status\": \"Failed\", \"Message\": \"Invalid information Title\", \"Available_titles\": [...]}`."
        ),
    )
    async def page(self, pages: Pages, title: TitleQuery = None) -> Response[PageRead | PageMissingRead]:
        found = await pages.page(title)
        if found.page is None:
            return Response(
                PageMissingRead(status="Failed", message="Invalid information Title",
                                available_titles=found.titles),
                status_code=404,
            )
        p = found.page
        return Response(
            PageRead(status="Success",
                     content=PageContentRead(title=p.title, content=p.content, items=p.items, updated=p.updated),
                     available_titles=found.titles),
            status_code=200,
        )

    @post(
        "/",
        status_code=201,
        summary="Create Content Page",
        description="`title` is stored lower-cased with spaces as underscores; a title that exists → 400 "
        "`{\"non_field_errors\": [\"Existent title\"]}`; `items` a list or a comma-separated string." + ADMIN_ONLY,
        security=BEARER,
    )
    async def create_page(self, data: JSONBody[PageBody], pages: Pages, me: Me) -> PageCreatedRead:
        page = await pages.add(me.user_id, data.title, data.content, data.items)
        return PageCreatedRead(title=page.title, content=page.content, items=page.items)

    @put(
        "/",
        status_code=200,
        summary="Update Content Page",
        description="Partial update of the page `?title=`; unknown → 400 `{\"error\": \"Inexistent content\"}`."
        + ADMIN_ONLY,
        security=BEARER,
    )
    async def update_page(
        self, data: JSONBody[PageChangeBody], pages: Pages, me: Me, title: TitleQuery = None
    ) -> PageUpdatedRead:
        page = await pages.change(me.user_id, title, PageChange(title=data.title, content=data.content,
                                                                items=data.items))
        return PageUpdatedRead(status="Updated", title=page.title, content=page.content, items=page.items,
                               updated=page.updated)

    @delete(
        "/",
        status_code=204,
        summary="Delete Content Page",
        description="Deletes the page `?title=`; unknown → 400 `{\"error\": \"Inexistent content\"}`." + ADMIN_ONLY,
        security=BEARER,
    )
    async def delete_page(self, pages: Pages, me: Me, title: TitleQuery = None) -> None:
        await pages.delete(me.user_id, title)


class LibraryController(Controller):
    path = "/info/library"
    tags = ["Info"]

    @post(
        "/",
        status_code=201,
        summary="Creating Library Content",
        description=(
            "Multipart (or JSON without a file, which is refused): `title` (at most 250 characters, unique "
            "whatever the case), `description`, `tags` (a JSON list of strings), `file` (PDF, DOC, DOCX or an "
            "image, at most 5 MB, judged by content)." + ADMIN_ONLY
        ),
        security=BEARER,
        request_max_body_size=LIBRARY_MAX_BODY,
        opt={"form": (LibraryForm, ("file",))},
    )
    async def create(self, request: Request[Any, Any, Any], library: Library, me: Me) -> LibraryRead:
        body = await read_body(request)
        form = convert(body.fields, LibraryForm)
        upload = await to_upload(body.files["file"]) if "file" in body.files else None
        item = await library.add(
            me.user_id,
            LibraryInput(title=form.title, description=form.description, tags=_tags(form.tags), file=upload),
        )
        return _library_read(item)

    @get(
        "/",
        summary="Retrieve Library Contents",
        description=(
            "Every item, newest first; `content_id` → that one item (unknown → 400 `{\"error\": \"Invalid content "
            "id\"}`); `tag` → items with that tag (any case); `q` → items whose title, description or tags contain "
            "the words."
        ),
        security=BEARER,
    )
    async def items(
        self,
        library: Library,
        me: Me,
        content_id: OptionalId = None,
        tag: SearchQuery = None,
        q: SearchQuery = None,
    ) -> list[LibraryRead] | LibraryRead:
        if content_id is not None:
            return _library_read(await library.item(content_id))
        return [_library_read(i) for i in await library.search(tag=tag, q=q)]

    @delete(
        "/",
        status_code=204,
        summary="Delete Library Content",
        description="`content_id` required (400 `{\"error\": \"A content_id query parameter is required for this "
        "request\"}`); unknown → 400 `{\"error\": \"Invalid Content ID\"}`; its file is deleted." + ADMIN_ONLY,
        security=BEARER,
    )
    async def delete_item(self, library: Library, me: Me, content_id: OptionalId = None) -> None:
        await library.delete(me.user_id, content_id)


class NewsletterController(Controller):
    path = "/newsletter"
    tags = ["Newsletter"]

    @get(
        "/",
        summary="Get NewsLetter",
        description=(
            "Every signed-in user (subscribed or not): the newest newsletter as `recent` (null when there is "
            "none) and the others newest first as `archive` (5 a page, `?page=`), each with its `id`; "
            "`subscribed` says whether the caller is on the list."
        ),
        security=BEARER,
    )
    async def newsletters(
        self, request: Request[Any, Any, Any], newsletters: Newsletters, me: Me, site: SiteDep,
        page: PageQuery = None,
    ) -> NewsletterPageRead:
        view = await newsletters.view(me.user_id, page_request(page, ARCHIVE_PAGE_SIZE))
        body = page_envelope(site, request, view.archive, [_newsletter_read(n) for n in view.archive.items])
        return NewsletterPageRead(
            recent=_newsletter_read(view.recent) if view.recent else None,
            archive=NewsletterArchiveRead(**body),
            subscribed=view.subscribed,
        )

    @post(
        "/create/",
        status_code=201,
        summary="Create a NewsLetter",
        description=(
            "Multipart or JSON: `title` (at most 500 characters), `content`, optional `image` (PNG/JPEG, at most "
            "5 MB, judged by content). Delivery by e-mail to every subscriber is queued in the same transaction."
            + ADMIN_ONLY
        ),
        security=BEARER,
        request_max_body_size=NEWSLETTER_MAX_BODY,
        opt={"form": (NewsletterForm, ("image",))},
    )
    async def create(self, request: Request[Any, Any, Any], newsletters: Newsletters, me: Me) -> NewsletterRead:
        body = await read_body(request)
        form = convert(body.fields, NewsletterForm)
        image = await to_upload(body.files["image"]) if "image" in body.files else None
        item = await newsletters.create(me.user_id, NewsletterInput(title=form.title, content=form.content,
                                                                    image=image))
        return _newsletter_read(item)

    @post(
        "/subscribe/",
        status_code=200,
        summary="Subscribe to Newsletter",
        description="Subscribes the caller's account address (the body is ignored); already on the list → 400 "
        "`{\"non_field_errors\": [\"Already subscribed to NewsLetter.\"]}`.",
        security=BEARER,
    )
    async def subscribe(self, newsletters: Newsletters, me: Me, site: SiteDep) -> SubscriptionRead:
        sub = await newsletters.subscribe(me.user_id)
        card = sub.card
        return SubscriptionRead(
            subscriber=SubscriberMiniRead(id=card.id, first_name=card.first_name, last_name=card.last_name,
                                          middle_name=card.middle_name, profile_photo=site.photo(card.profile_photo),
                                          qualification=card.qualification),
            subscribed_at=sub.subscriber.subscribed_at,
        )

    @post(
        "/unsubscribe/",
        status_code=200,
        summary="Unsubscribe from NewsLetter",
        description="Takes the caller (or the caller's address) off the list; not on it → 400 "
        "`{\"non_field_errors\": [\"Not previously subscribed to NewsLetter.\"]}`.",
        security=BEARER,
    )
    async def unsubscribe(self, newsletters: Newsletters, me: Me) -> StatusRead:
        await newsletters.unsubscribe(me.user_id)
        return StatusRead(status=UNSUBSCRIBED)


class NewsletterVisitorController(Controller):
    path = "/user"
    tags = ["Newsletter"]

    @post(
        "/newsletter-subscribe/",
        status_code=200,
        summary="Unregistered Users Subscribe To Newsletter",
        description="Public. Adds `email` to the one subscriber list; already on it → 400 "
        "`{\"email\": [\"Already subscribed to Newsletter\"]}`; at most `NEWSLETTER_SUBSCRIBES_PER_HOUR` attempts "
        "per client (429).",
    )
    async def subscribe(
        self, request: Request[Any, Any, Any], data: JSONBody[EmailSubscribeBody], newsletters: Newsletters
    ) -> StatusRead:
        await newsletters.subscribe_email(data.email, client_ip=client_ip(request))
        return StatusRead(status="Subscribed Successfully")

    @get(
        "/newsletter-unsubscribe/",
        summary="Unsubscribe by Link",
        description=(
            "Public: the link in every newsletter e-mail (`subscriber` and its signed `token`). A subscription "
            "already gone answers the same success; a wrong token → 400 `{\"token\": [...]}`."
        ),
    )
    async def unsubscribe(
        self,
        newsletters: Newsletters,
        subscriber: Annotated[int, QueryParameter(ge=1, le=2**63 - 1)],
        token: Annotated[str, QueryParameter(max_length=128, pattern=NO_NUL)],
    ) -> StatusRead:
        await newsletters.unsubscribe_signed(subscriber, token)
        return StatusRead(status=UNSUBSCRIBED)
