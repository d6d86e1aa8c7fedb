"""A profile's records: experience, education and certifications, each changed by its owner only, within the
write budget and the cap on records of a kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from core.accounts.model.portfolio import Certification, Education, Experience
from core.accounts.profiles.budgets import WriteBudget
from core.accounts.profiles.common import check_choice, iso_date, text_field
from core.accounts.profiles.policies import owns
from core.shared.errors import InvalidInput, NotFound
from ports.choices import ChoiceCatalogue
from ports.profiles import ProfilesUnitOfWork

__all__ = ("CertificationInput", "EducationInput", "ExperienceInput", "ProfileRecordsService")


@dataclass(frozen=True, slots=True, kw_only=True)
class ExperienceInput:
    title: str | None = None
    organization: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    location: str | None = None
    employment_type: str | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EducationInput:
    course: str | None = None
    school: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    location: str | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CertificationInput:
    title: str
    school: str
    issue_date: str = ""
    cert_id: str = ""
    skills: str = ""


class ProfileRecordsService:
    """The caller's experience, education and certification records."""

    __slots__ = ("_catalogue", "_reads", "_uow", "_writes")

    def __init__(
        self,
        *,
        uow: Callable[[], ProfilesUnitOfWork],
        catalogue: ChoiceCatalogue,
        writes: WriteBudget,
        reads: Callable[[], ProfilesUnitOfWork] | None = None,
    ) -> None:
        self._uow = uow
        self._reads = reads or uow
        self._catalogue = catalogue
        self._writes = writes

    # ------------------------------------------------------------------ experience

    async def experiences(self, actor_id: int) -> list[Experience]:
        async with self._reads() as uow:
            return await uow.experiences.list_for(actor_id)

    async def _experience_fields(self, data: ExperienceInput, *, creating: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, limit in (("title", 150), ("organization", 500), ("location", 500), ("detail", 2000)):
            value = text_field(name, getattr(data, name), limit,
                               required=creating and name in ("title", "organization"))
            if value is not None:
                out[name] = value
        start = iso_date("start_date", data.start_date, required=creating)
        if start is not None:
            out["start_date"] = start
        end = iso_date("end_date", data.end_date, required=False) if data.end_date != "Present" else "Present"
        if end is not None:
            out["end_date"] = end or "Present"
        if data.employment_type is not None:
            await check_choice(self._catalogue, "employment_type", data.employment_type, "employment_type")
            out["employment_type"] = data.employment_type
        elif creating:
            raise InvalidInput.field("employment_type", "This field is required.")
        start_value, end_value = out.get("start_date"), out.get("end_date")
        if start_value and end_value and end_value != "Present" and end_value < start_value:
            raise InvalidInput.field("end_date", "The end date cannot be before the start date.")
        return out

    async def add_experience(self, actor_id: int, data: ExperienceInput) -> Experience:
        values = await self._experience_fields(data, creating=True)
        await self._writes.spend("experience", actor_id)
        async with self._uow() as uow:
            self._writes.check_room("experience", await uow.experiences.lock_and_count(actor_id))
            item = await uow.experiences.add(Experience(user_id=actor_id, **values))
            uow.views_changed(actor_id)
            await uow.commit()
        return item

    async def update_experience(self, actor_id: int, item_id: int, data: ExperienceInput) -> Experience:
        values = await self._experience_fields(data, creating=False)
        await self._writes.spend("experience", actor_id)
        async with self._uow() as uow:
            item = await uow.experiences.get(item_id)
            if not owns(item, actor_id):
                raise NotFound("Experience does not exist")
            item = replace(item, **values)
            if item.end_date != "Present" and item.end_date < item.start_date:
                raise InvalidInput.field("end_date", "The end date cannot be before the start date.")
            await uow.experiences.update(item)
            uow.views_changed(actor_id)
            await uow.commit()
        return item

    async def delete_experience(self, actor_id: int, item_id: int) -> None:
        async with self._uow() as uow:
            if not owns(await uow.experiences.get(item_id), actor_id):
                raise NotFound("Inexistent experience")
            await uow.experiences.delete(item_id)
            uow.views_changed(actor_id)
            await uow.commit()

    # ------------------------------------------------------------------ education

    async def educations(self, actor_id: int) -> list[Education]:
        async with self._reads() as uow:
            return await uow.educations.list_for(actor_id)

    @staticmethod
    def _education_fields(data: EducationInput, *, creating: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, limit in (("course", 500), ("school", 500), ("start_date", 20), ("end_date", 20),
                            ("location", 500), ("detail", 2000)):
            value = text_field(name, getattr(data, name), limit, required=creating and name in ("course", "school"))
            if value is not None:
                out[name] = value
        if out.get("end_date") == "":
            out["end_date"] = "Present"
        return out

    async def add_education(self, actor_id: int, data: EducationInput) -> Education:
        values = self._education_fields(data, creating=True)
        await self._writes.spend("education", actor_id)
        async with self._uow() as uow:
            self._writes.check_room("education", await uow.educations.lock_and_count(actor_id))
            item = await uow.educations.add(Education(user_id=actor_id, **values))
            uow.views_changed(actor_id)
            await uow.commit()
        return item

    async def update_education(self, actor_id: int, item_id: int, data: EducationInput) -> Education:
        values = self._education_fields(data, creating=False)
        await self._writes.spend("education", actor_id)
        async with self._uow() as uow:
            item = await uow.educations.get(item_id)
            if not owns(item, actor_id):
                raise NotFound("Education does not exist!")
            item = replace(item, **values)
            await uow.educations.update(item)
            uow.views_changed(actor_id)
            await uow.commit()
        return item

    async def delete_education(self, actor_id: int, item_id: int) -> None:
        async with self._uow() as uow:
            if not owns(await uow.educations.get(item_id), actor_id):
                raise NotFound("Inexistent education")
            await uow.educations.delete(item_id)
            uow.views_changed(actor_id)
            await uow.commit()

    # ------------------------------------------------------------------ certification

    async def certifications(self, actor_id: int) -> list[Certification]:
        async with self._reads() as uow:
            return await uow.certifications.list_for(actor_id)

    async def add_certification(self, actor_id: int, data: CertificationInput) -> Certification:
        item = Certification(
            user_id=actor_id,
            title=text_field("title", data.title, 500, required=True) or "",
            school=text_field("school", data.school, 500, required=True) or "",
            issue_date=text_field("issue_date", data.issue_date, 20) or "",
            cert_id=text_field("cert_id", data.cert_id, 1000) or "",
            skills=text_field("skills", data.skills, 2000) or "",
        )
        await self._writes.spend("certification", actor_id)
        async with self._uow() as uow:
            self._writes.check_room("certification", await uow.certifications.lock_and_count(actor_id))
            item = await uow.certifications.add(item)
            uow.views_changed(actor_id)
            await uow.commit()
        return item

    async def delete_certification(self, actor_id: int, item_id: int) -> None:
        async with self._uow() as uow:
            if not owns(await uow.certifications.get(item_id), actor_id):
                raise NotFound("Inexistent certification")
            await uow.certifications.delete(item_id)
            uow.views_changed(actor_id)
            await uow.commit()
