"""The content domain (countries, choice lists, exchange rates, content pages, the library, newsletters; edited by
administrators): its wiring, the ``newsletter.deliver`` task and ``careernexus send-newsletters``."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, ClassVar

import click
from dependency_injector import containers, providers
from litestar.di import Provide

from adapters.db.content import InMemoryContentUnitOfWork, SqlContentUnitOfWork
from adapters.db.content_pages import InMemoryMemberCards, SqlMemberCards
from adapters.http.content.controller import ContentController
from adapters.http.content.pages import (
    LibraryController,
    NewsletterController,
    NewsletterVisitorController,
    PagesController,
)
from bootstrap.commands import run_job, settings_or_exit
from bootstrap.domain import DomainModule
from bootstrap.settings import Section, Settings, var
from core.content.library import LibraryService
from core.content.model.newsletters import DELIVER_NEWSLETTER, DeliverNewsletter
from core.content.newsletters import NewsletterService
from core.content.pages import ContentPagesService
from core.content.service import ContentService
from core.tasks.registry import TaskHandler

if TYPE_CHECKING:
    from bootstrap.container import AppContainer

__all__ = ("DOMAIN", "ContentContainer")


class ContentSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "content"

    newsletter_batch_size: Annotated[
        int, var("NEWSLETTER_BATCH_SIZE", "newsletter e-mails staged per delivery task (one transaction each)")
    ] = 100
    max_library_file_bytes: Annotated[
        int, var("MAX_LIBRARY_FILE_BYTES", "largest library file (PDF, DOC, DOCX or image), bytes")
    ] = 5_000_000
    newsletter_subscribes_per_hour: Annotated[
        int, var("NEWSLETTER_SUBSCRIBES_PER_HOUR", "visitor newsletter sign-ups per client address and hour")
    ] = 20
    max_newsletter_image_bytes: Annotated[
        int, var("MAX_NEWSLETTER_IMAGE_BYTES", "largest newsletter image (PNG/JPEG), bytes")
    ] = 5_000_000


def _section(settings: Settings) -> ContentSettings:
    return settings.section(ContentSettings)


def _unsubscribe_key(settings: Settings) -> bytes:
    """The key of the signed unsubscribe links: derived from ``SECRET_KEY`` for this one purpose."""
    return hashlib.sha256(b"careernexus newsletter unsubscribe\x00" + settings.auth.secret_key.get().encode()).digest()


class ContentContainer(containers.DeclarativeContainer):
    platform = providers.DependenciesContainer()

    # A commit that changed the choice lists drops the platform's cached catalogue; the tasks it wrote (mail.send,
    # newsletter delivery) wake the task worker.
    uow = providers.Selector(
        platform.profile,
        sql=providers.Factory(
            SqlContentUnitOfWork,
            engine=platform.writer,
            after_commit=platform.catalogue.provided.invalidate,
            task_kick=platform.task_kick,
        ),
        memory=providers.Factory(InMemoryContentUnitOfWork, store=platform.store, task_kick=platform.task_kick),
    )
    section = providers.Singleton(_section, platform.settings)
    cards = providers.Selector(
        platform.profile,
        sql=providers.Singleton(SqlMemberCards, engine=platform.engine),
        memory=providers.Singleton(InMemoryMemberCards, store=platform.store),
    )
    service = providers.Singleton(ContentService, uow=uow.provider, staff=platform.staff)
    pages = providers.Singleton(ContentPagesService, uow=uow.provider, staff=platform.staff, clock=platform.clock)
    library = providers.Singleton(
        LibraryService,
        uow=uow.provider,
        staff=platform.staff,
        storage=platform.storage,
        clock=platform.clock,
        max_bytes=section.provided.max_library_file_bytes,
    )
    newsletters = providers.Singleton(
        NewsletterService,
        uow=uow.provider,
        staff=platform.staff,
        cards=cards,
        storage=platform.storage,
        clock=platform.clock,
        signing_key=providers.Callable(_unsubscribe_key, platform.settings),
        public_url=platform.settings.provided.http.public_url,
        image_bytes=section.provided.max_newsletter_image_bytes,
        batch_size=section.provided.newsletter_batch_size,
        limiter=platform.limiter,
        subscribes_per_hour=section.provided.newsletter_subscribes_per_hour,
    )


def _dependencies(c: ContentContainer) -> Mapping[str, Provide]:
    def provide_content() -> ContentService:
        return c.service()

    def provide_pages() -> ContentPagesService:
        return c.pages()

    def provide_library() -> LibraryService:
        return c.library()

    def provide_newsletters() -> NewsletterService:
        return c.newsletters()

    return {
        "info": Provide(provide_content, sync_to_thread=False),
        "pages": Provide(provide_pages, sync_to_thread=False),
        "library": Provide(provide_library, sync_to_thread=False),
        "newsletters": Provide(provide_newsletters, sync_to_thread=False),
    }


@click.command("send-newsletters")
@click.option("--newsletter", "newsletter_id", type=int, default=None, help="Only this newsletter (default: all).")
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=100, show_default=True)
def send_newsletters(newsletter_id: int | None, batch_size: int) -> None:
    """Hand every newsletter's remaining copies to the mail outbox now, batch by batch (a one-off run; a run
    that stops midway resumes where it stopped, never sending a copy twice)."""

    async def work(app: AppContainer) -> int:
        service = DOMAIN.of(app).newsletters()
        ids = [newsletter_id] if newsletter_id is not None else await service.newsletter_ids()
        total = 0
        for nid in ids:
            remaining = await service.remaining(nid)
            with click.progressbar(length=max(remaining, 1), label=f"newsletter {nid}") as bar:
                total += await service.deliver_all(nid, batch_size, progress=bar.update)
        return total

    click.echo(f"queued {run_job(settings_or_exit(), work)} newsletter e-mail(s)")


def _deliver(c: ContentContainer) -> TaskHandler[DeliverNewsletter]:
    return TaskHandler(payload=DeliverNewsletter, run=c.newsletters().run_task, max_attempts=12)


DOMAIN = DomainModule(
    name="content",
    container=ContentContainer,
    tables=("content",),
    settings=ContentSettings,
    tasks={DELIVER_NEWSLETTER: _deliver},
    controllers=(ContentController, PagesController, LibraryController, NewsletterController,
                 NewsletterVisitorController),
    dependencies=_dependencies,
    commands=(send_newsletters,),
)
