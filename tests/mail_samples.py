"""Sample application e-mails written for the tests (invented people and companies, no real personal data):
at least two per source, each as RFC 822 bytes, with the title and company a parser must find."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

__all__ = ("SAMPLES", "Sample", "raw_mail")


@dataclass(frozen=True, slots=True)
class Sample:
    source: str
    raw: bytes
    title: str
    company: str


def raw_mail(
    sender: str,
    subject: str,
    html: str | None = None,
    *,
    text: str | None = None,
    date: str = "Wed, 14 Nov 2018 06:08:19 +0000",
    message_id: str | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "someone@example.org"
    msg["Subject"] = subject
    if date:
        msg["Date"] = date
    if message_id:
        msg["Message-ID"] = f"<{message_id}>"
    msg.set_content(text or "See the HTML part.")
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return bytes(msg)


SAMPLES: tuple[Sample, ...] = (
    Sample(
        "LinkedIn",
        raw_mail("LinkedIn <jobs-listings@linkedin.com>", "You applied for Android Developer at Genuent",
                 "<html><body><p>Your application was sent to Genuent.</p></body></html>"),
        "Android Developer", "Genuent",
    ),
    Sample(
        "LinkedIn",
        raw_mail("LinkedIn <jobs-noreply@linkedin.com>", "You applied for Data Analyst at Greatwater Analytics",
                 "<p>Application sent</p>", date="Tue, 02 Jan 2024 23:30:00 -0800"),
        "Data Analyst", "Greatwater Analytics",
    ),
    Sample(
        "LinkedIn",
        raw_mail("LinkedIn <jobs-listings@linkedin.com>", "You applied for Head of Operations at Boatwright",
                 "<p>ok</p>"),
        "Head of Operations", "Boatwright",
    ),
    Sample(
        "Hired.com",
        raw_mail("Hired <reply@hired.com>", "Interview Request: Lead Android Engineer at OpenPhone ($140k - $160k)",
                 "<p>OpenPhone wants to meet you.</p>"),
        "Lead Android Engineer", "OpenPhone",
    ),
    Sample(
        "Hired.com",
        raw_mail("Hired <reply@hired.com>", "Interview Request: Backend Engineer at Quillmint",
                 "<p>Quillmint wants to meet you.</p>"),
        "Backend Engineer", "Quillmint",
    ),
    Sample(
        "Indeed",
        raw_mail("Indeed Apply <indeedapply@indeed.com>", "Indeed Application: Mobile Developer",
                 "<html><body>You will get updates from <b>Carvana</b> about your application.</body></html>"),
        "Mobile Developer", "Carvana",
    ),
    Sample(
        "Indeed",
        raw_mail("Indeed Apply <indeedapply@indeed.com>", "Indeed Application: Software Engineer Intern",
                 "<div>Expect updates from <strong>Lumen &amp; Pine</strong>.</div>"),
        "Software Engineer Intern", "Lumen & Pine",
    ),
    Sample(
        "Vettery",
        raw_mail("Vettery <team@connect.vettery.com>", "Interview Request from BrainyPro",
                 "<p>You have an interview with BrainyPro. Interested?</p><p>Role: Android Engineer<br>"
                 "Salary: $120k</p>"),
        "Android Engineer", "BrainyPro",
    ),
    Sample(
        "Vettery",
        raw_mail("Vettery <talent@connect.vettery.com>", "Interview Request",
                 "<span>Our take on KgTiger:</span><p>Role:\n  Platform Engineer\n</p><p>Salary 100k</p>"),
        "Platform Engineer", "KgTiger",
    ),
    Sample(
        "Glassdoor",
        raw_mail("Glassdoor <noreply@glassdoor.com>", "Your application on to Northwind Traders completed.",
                 '<p>You applied for <a href="https://www.glassdoor.com/job-listing/qa-engineer-123">QA Engineer</a>'
                 "</p>"),
        "QA Engineer", "Northwind Traders",
    ),
    Sample(
        "Glassdoor",
        raw_mail("Glassdoor Jobs <apply@mail.glassdoor.com>", "Your application on to Fabrikam completed.",
                 '<a href="https://glassdoor.example/help">Help</a> <a style="font-weight:bold" '
                 'href="https://www.glassdoor.com/partner/jobListing.htm?id=9">Site Reliability Engineer</a>'),
        "Site Reliability Engineer", "Fabrikam",
    ),
    Sample(
        "Lever",
        raw_mail("Contoso <no-reply@hire.lever.co>", "Thank you for your application",
                 "<p>Thank you for your application for the Product Designer position at Contoso.</p>"),
        "Product Designer", "Contoso",
    ),
    Sample(
        "Lever",
        raw_mail('"Tailspin Toys" <no-reply@hire.lever.co>', "Thanks for applying!",
                 text="Hi, thanks for applying for Senior Data Engineer. We will be in touch."),
        "Senior Data Engineer", "Tailspin Toys",
    ),
    Sample(
        "SmartRecruiters",
        raw_mail("Acme Careers <notifications@smartrecruiters.com>", "Thank you for applying to Acme Corp",
                 "<p>We received your application for the position of Warehouse Lead.</p>"),
        "Warehouse Lead", "Acme Corp",
    ),
    Sample(
        "SmartRecruiters",
        raw_mail("Wingtip <no-reply@mail.smartrecruiters.com>", "Thank you for applying to Wingtip Labs!",
                 "<p>Thanks for applying for the iOS Developer role.</p>"),
        "iOS Developer", "Wingtip Labs",
    ),
    Sample(
        "ZipRecruiter",
        raw_mail("ZipRecruiter <alerts@ziprecruiter.com>", "Your application was sent",
                 "<p>You applied to <b>Urgent: Android Developer</b> at <b>ERG, Inc.</b></p>"),
        "Urgent: Android Developer", "ERG, Inc.",
    ),
    Sample(
        "ZipRecruiter",
        raw_mail("ZipRecruiter <phil@em.ziprecruiter.com>", "Application confirmation",
                 "<p><strong>Nurse Practitioner</strong></p><p><strong>Riverbend Clinic</strong></p>"),
        "Nurse Practitioner", "Riverbend Clinic",
    ),
)
