"""What the case page shows: the case with its reports, similar cases, history; evidence access."""

from sqlalchemy.orm import joinedload, selectinload

from intake.audit import trail as audit
from intake.clustering import operations as clustering
from intake.core.extensions import db
from intake.core.models import Attachment, Case, Decision, Report, ReportUrl, utcnow
from intake.users.models import User

HISTORY_LIMIT = 100
# Reports shown per case page, earliest first: a viral case has thousands. 20 full reports
# (text, marks, links, evidence) are a long read already; the pager shows the rest.
REPORTS_PAGE = 20


def load_case(case_id: int) -> Case | None:
    """Return a case (its reports are read a page at a time, see reports_page)."""
    return db.session.get(Case, case_id)


def page_count(case: Case) -> int:
    """Return how many pages of reports the case has (at least one)."""
    return max(1, -(-case.report_count // REPORTS_PAGE))


def reports_page(case: Case, page: int) -> list[Report]:
    """Return one page of the case's reports, earliest first, with links and evidence.

    Links come joined to their reports (one statement); evidence, rarer, by a second one
    (joining both would multiply links by files)."""
    query = (db.select(Report).where(Report.case_id == case.id)
             .order_by(Report.received_at, Report.id)
             .offset((page - 1) * REPORTS_PAGE).limit(REPORTS_PAGE)
             .options(joinedload(Report.urls), selectinload(Report.attachments)))
    return list(db.session.scalars(query).unique())


def claim_is_live(case: Case) -> bool:
    """Return whether someone holds a claim on the case that has not expired."""
    return (case.claimed_by_id is not None and case.claimed_until is not None
            and case.claimed_until > utcnow())


def holds_claim(case: Case, user: User) -> bool:
    """Return whether the user holds a live claim on the case."""
    return case.claimed_by_id == user.id and claim_is_live(case)


def handles(case: Case, user: User) -> bool:
    """Return whether the user handles the case (holds its claim, or is an admin)."""
    return user.role == "admin" or holds_claim(case, user)


def similar_resolved(case: Case, limit: int = 5) -> list[Case]:
    """Return decided cases like this one: those sharing a link first (latest decided
    first), then similar text (best first)."""
    keys = db.select(ReportUrl.url_key).join(Report).where(Report.case_id == case.id)
    sharing = (db.select(Report.case_id).join(ReportUrl, ReportUrl.report_id == Report.id)
               .where(ReportUrl.url_key.in_(keys)))
    # Ids first: one statement with "IN (subquery) OR IN (list)" made PostgreSQL scan cases.
    linked = list(db.session.scalars(
        db.select(Case.id).where(Case.id.in_(sharing), Case.id != case.id,
                                 Case.status == "resolved")
        .order_by(Case.decided_at.desc(), Case.id.desc()).limit(limit)))
    alike = [i for i in clustering.similar_case_ids(case, resolved_only=True, limit=limit)
             if i not in linked]
    wanted = (linked + alike)[:limit]
    found = {other.id: other for other in
             db.session.scalars(db.select(Case).where(Case.id.in_(wanted)))} if wanted else {}
    return [found[i] for i in wanted if i in found]


def history(case: Case) -> list:
    """Return the case's audit events, newest first."""
    page = audit.browse(audit.AuditFilter(target_type="case", target_id=str(case.id)),
                        limit=HISTORY_LIMIT)
    return page.events


def get_attachment(attachment_id: int) -> Attachment | None:
    """Return an evidence file's record with its report and case, or None."""
    return db.session.get(Attachment, attachment_id)


def record_download(attachment: Attachment, user: User, ip: str | None = None) -> None:
    """Audit that a staff member downloaded an evidence file."""
    audit.record(user, "evidence.download", "attachment", attachment.id, ip=ip,
                 after={"report_id": attachment.report_id,
                        "case_id": attachment.report.case_id,
                        "sha256": attachment.sha256, "name": attachment.original_name})
    db.session.flush()


def decisions_of(case: Case) -> list[Decision]:
    """Return every decision on the case, newest first (reopened ones are not current)."""
    return list(db.session.scalars(db.select(Decision).where(Decision.case_id == case.id)
                                   .order_by(Decision.id.desc())))


def usernames(ids: set[int | None]) -> dict[int, str]:
    """Return the usernames of the given user ids."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = db.session.execute(db.select(User.id, User.username).where(User.id.in_(wanted)))
    return {user_id: name for user_id, name in rows}


def codes_of(report_ids: set[int]) -> dict[int, str]:
    """Return the tracking codes of the given reports (the appeals on the case page)."""
    if not report_ids:
        return {}
    rows = db.session.execute(db.select(Report.id, Report.tracking_code)
                              .where(Report.id.in_(report_ids)))
    return {report_id: code for report_id, code in rows}
