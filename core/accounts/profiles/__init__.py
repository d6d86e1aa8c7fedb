"""Profile use cases, one cohesive service per group (each takes only the ports it uses):

- ``pages``: a profile page as one viewer may see it (and the view it records);
- ``edit``: the profile itself and its media, the industry;
- ``records``: experience, education and certification records;
- ``portfolio``: portfolio projects and their files;
- ``settings``: notification and privacy settings;
- ``insights``: analytics, completion and user search.

Shared collaborators (not a base class): ``budgets`` (write budgets, record caps, the per-viewer read budget),
``media`` (checking, storing and replacing uploads), ``common`` (field validation, choice checks, lookups).
The permission and visibility rules are named functions in ``policies``."""
