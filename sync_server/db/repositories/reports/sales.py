"""Pipeline, lead sources and conversion, the weighted forecast, converted leads."""

from __future__ import annotations

import uuid

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from sync_server.db.models import (
    Client,
    Lead,
    Project,
)
from sync_server.db.repositories.reports.base import (
    FORECAST_PROJECTS,
    LIST_LIMIT,
    Period,
    Rec,
    ReportQueries,
    in_times,
    money_sum,
    twelve_month_value,
)
from sync_server.schemas.types import LEAD_STATUSES


class SalesQueries(ReportQueries):
    """Leads and projects on their way to revenue."""

    async def pipeline(
        self, period: Period, *, viewer: uuid.UUID | None
    ) -> tuple[list[Rec], list[Rec]]:
        """(lead rows, project rows): status, count, worth."""
        lead, project = Lead, Project
        # Worth per lead first (a few rows per lead at most), then one pass over the leads: no
        # DISTINCT over the whole lead table.
        per_lead = (
            self._select(
                Project, project.lead_id, money_sum(twelve_month_value(project)).label("worth")
            )
            .where(
                project.lead_id.is_not(None),
                project.project_status != "cancelled",
                self._seen("project", project, viewer),
            )
            .group_by(project.lead_id)
            .subquery()
        )
        leads = (
            self._select(
                Lead,
                lead.lead_status.label("status"),
                func.count().label("count"),
                money_sum(per_lead.c.worth).label("worth"),
            )
            .select_from(Lead)
            .outerjoin(per_lead, per_lead.c.lead_id == lead.id)
            .where(self._seen("lead", lead, viewer), *in_times(lead.created_at, period))
            .group_by(lead.lead_status)
        )
        p = Project
        projects = (
            self._select(
                Project,
                p.project_status.label("status"),
                func.count().label("count"),
                money_sum(twelve_month_value(p)).label("worth"),
            )
            .where(self._seen("project", p, viewer), *in_times(p.created_at, period))
            .group_by(p.project_status)
        )
        return await self._all(leads), await self._all(projects)

    async def leads_by_source(self, period: Period, *, viewer: uuid.UUID | None) -> list[Rec]:
        """Per lead_source: leads, a count per lead_status, and conversion times."""
        lead = Lead
        timed = and_(lead.lead_status == "converted", lead.converted_on.is_not(None))
        days = self._sql.days(lead.converted_on, lead.created_at, timestamps=True)
        stmt = (
            self._select(
                Lead,
                lead.lead_source.label("source"),
                func.count().label("leads"),
                *(
                    func.count().filter(lead.lead_status == s).label(f"n_{s}")
                    for s in LEAD_STATUSES
                ),
                func.count().filter(timed).label("timed"),
                func.sum(days).filter(timed).label("days"),
            )
            .where(self._seen("lead", lead, viewer), *in_times(lead.created_at, period))
            .group_by(lead.lead_source)
        )
        return await self._all(stmt)

    async def forecast(self, period: Period, *, viewer: uuid.UUID | None) -> list[Rec]:
        """Open projects by (project_status, visible lead's status, has no client)."""
        p, lead = Project, aliased(Lead)
        on = and_(
            lead.tenant_id == p.tenant_id, lead.id == p.lead_id, self._seen("lead", lead, viewer)
        )
        no_client = p.client_id.is_(None)
        stmt = (
            self._select(
                Project,
                p.project_status.label("project_status"),
                lead.lead_status.label("lead_status"),
                no_client.label("no_client"),
                func.count().label("count"),
                money_sum(twelve_month_value(p)).label("worth"),
            )
            .select_from(Project)
            .outerjoin(lead, on)
            .where(
                self._seen("project", p, viewer),
                p.project_status.in_(FORECAST_PROJECTS),
                *in_times(p.created_at, period),
            )
            .group_by(p.project_status, lead.lead_status, no_client)
        )
        return await self._all(stmt)

    async def converted_leads(
        self, period: Period, *, viewer: uuid.UUID | None
    ) -> tuple[list[Rec], Rec]:
        """(rows, totals) of converted leads, each with the client made from it."""
        lead, client = Lead, aliased(Client)
        on = and_(
            client.tenant_id == lead.tenant_id,
            client.id == lead.converted_client_id,
            self._seen("client", client, viewer),
        )
        when = func.coalesce(lead.converted_on, lead.created_at)
        where = (
            self._seen("lead", lead, viewer),
            lead.lead_status == "converted",
            *in_times(when, period),
        )
        # The first LIST_LIMIT leads, then their clients: the join runs for the rows shown only.
        first = (
            self._select(
                Lead,
                lead.id.label("lead_id"),
                lead.name.label("lead"),
                lead.lead_source,
                lead.created_at,
                lead.converted_on,
                lead.converted_client_id.label("client_id"),
                when.label("when"),
            )
            .where(*where)
            .order_by(when.desc(), lead.id)
            .limit(LIST_LIMIT)
            .subquery()
        )
        shown = and_(
            client.tenant_id == self.ctx.tenant_id,
            client.id == first.c.client_id,
            self._seen("client", client, viewer),
        )
        rows = (
            select(
                *(col for col in first.c if col.name != "when"),
                client.name.label("client"),
                client.status.label("client_status"),
                client.source_lead_id,
            )
            .select_from(first)
            .outerjoin(client, shown)
            .order_by(first.c.when.desc(), first.c.lead_id)
        )
        timed = lead.converted_on.is_not(None)
        days = self._sql.days(lead.converted_on, lead.created_at, timestamps=True)
        totals = (
            self._select(
                Lead,
                func.count().label("converted"),
                func.count().filter(client.source_lead_id == lead.id).label("traceable"),
                func.count().filter(timed).label("timed"),
                func.sum(days).filter(timed).label("days"),
            )
            .select_from(Lead)
            .outerjoin(client, on)
            .where(*where)
        )
        return await self._all(rows), await self._one(totals)
