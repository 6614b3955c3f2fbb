"""Stored files are private: allowed by content, cleaned, named unguessably, served only through permission checks."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from aftersales.billing.models import Payment
from aftersales.core.errors import DomainError
from aftersales.core.files import private_storage
from aftersales.core.importflow import import_files_sweep
from aftersales.core.uploads import accept_image, accept_spreadsheet
from aftersales.parts.models import ClaimAttachment
from aftersales.testing import files

pytestmark = pytest.mark.django_db


# --- what an upload may be -------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [files.html, files.svg, files.exe, files.html_as_png], ids=["html", "svg", "exe", "renamed"])
def test_anything_but_a_picture_is_refused_as_a_photo(bad):
    with pytest.raises(DomainError) as refused:
        accept_image(bad(), field="photo")
    assert "JPEG" in refused.value.message_dict["photo"][0]


def test_a_photo_is_re_encoded_and_loses_its_position():
    original = files.jpeg(gps=True)
    assert 34853 in Image.open(io.BytesIO(original.read())).getexif()  # GPS
    original.seek(0)
    clean = Image.open(io.BytesIO(accept_image(original).read()))
    assert clean.format == "JPEG" and 34853 not in clean.getexif() and 0x010F not in clean.getexif()


def test_a_photo_too_large_is_refused(settings):
    settings.UPLOAD_MAX_IMAGE_MB = 0.001
    with pytest.raises(DomainError):
        accept_image(files.jpeg(size=(800, 600)))


def test_a_decompression_bomb_is_refused(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 1000
    with pytest.raises(DomainError):
        accept_image(files.jpeg(size=(100, 100)))


def test_a_zip_bomb_posing_as_a_workbook_is_refused():
    with pytest.raises(DomainError) as refused:
        accept_spreadsheet("customers.xlsx", files.zip_bomb_xlsx())
    assert refused.value.code == "zip_bomb"


@pytest.mark.parametrize("content", [b"<html><body>x</body></html>", b"MZ\x90\x00" + b"\x00" * 100])
def test_a_web_page_or_a_program_is_not_an_import_file(content):
    with pytest.raises(DomainError):
        accept_spreadsheet("customers.csv", content)


# --- claim evidence, payment receipts, returns: refused files store nothing ---------------------------------------
@pytest.fixture
def draft_claim(supervisor_wang, tech_zhang, on_site, van_zhang, spindle_motor):
    """A warranty claim for the in-warranty lathe's spindle motor, replaced from Zhang's van."""
    from aftersales.billing.services import work_order_use_part
    from aftersales.parts.models import Supplier
    from aftersales.parts.services import claim_create

    work_order_use_part(actor=tech_zhang, work_order=on_site, part=spindle_motor, quantity=Decimal("1"))
    maker = Supplier.objects.create(name="沈阳机床股份有限公司", is_manufacturer=True)
    return claim_create(actor=supervisor_wang, work_order=on_site, manufacturer=maker)


@pytest.mark.parametrize("bad", [files.html, files.svg, files.exe, files.html_as_png, lambda: files.pdf(script=True)],
                         ids=["html", "svg", "exe", "renamed", "pdf-with-script"])
def test_claim_evidence_that_is_not_a_photo_or_a_plain_pdf_is_refused_and_nothing_is_stored(supervisor_wang, draft_claim, bad):
    from aftersales.parts.services import claim_attach

    with pytest.raises(DomainError):
        claim_attach(actor=supervisor_wang, claim=draft_claim, upload=bad())
    assert not ClaimAttachment.objects.exists()


def test_a_pdf_and_a_photo_are_good_evidence_stored_under_unguessable_names(supervisor_wang, draft_claim):
    from aftersales.parts.services import claim_attach

    a = claim_attach(actor=supervisor_wang, claim=draft_claim, upload=files.pdf("张三的检测报告.pdf"))
    b = claim_attach(actor=supervisor_wang, claim=draft_claim, upload=files.jpeg("defect.jpg"))
    assert a.file.name.startswith("claims/") and a.file.name.endswith(".pdf") and "张三" not in a.file.name
    assert b.file.name.endswith(".jpg") and len(b.file.name.rsplit("/", 1)[1]) > 20


def test_a_receipt_photo_that_is_a_web_page_records_no_payment(tech_zhang, paid_job):
    from aftersales.billing.services import payment_record

    with pytest.raises(DomainError) as refused:
        payment_record(actor=tech_zhang, work_order=paid_job, amount=Decimal("10"), method="wechat", receipt_photo=files.html_as_png())
    assert "receipt_photo" in refused.value.message_dict and not Payment.objects.exists()


# --- serving ------------------------------------------------------------------------------------------------------
def test_no_stored_file_is_reachable_under_media(client, supervisor_wang, draft_claim, manager_zhou):
    from aftersales.parts.services import claim_attach

    attachment = claim_attach(actor=supervisor_wang, claim=draft_claim, upload=files.jpeg())
    for who in (None, manager_zhou):
        visitor = Client()
        if who:
            visitor.force_login(who)
        assert visitor.get(f"/media/{attachment.file.name}").status_code == 404
        assert visitor.get(f"/private/{attachment.file.name}").status_code == 404


def test_evidence_is_served_to_who_may_see_the_claim_and_to_nobody_else(client, supervisor_wang, draft_claim, clerk_chen):
    from aftersales.parts.services import claim_attach

    attachment = claim_attach(actor=supervisor_wang, claim=draft_claim, upload=files.jpeg())
    url = reverse("parts:claim_attachment", args=[draft_claim.pk, attachment.pk])
    client.force_login(supervisor_wang)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "private, no-store"
    other = Client()
    other.force_login(clerk_chen)  # Suzhou: another branch
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


def test_behind_nginx_the_file_is_handed_over_by_an_internal_redirect(client, supervisor_wang, draft_claim, settings):
    from aftersales.parts.services import claim_attach

    settings.PRIVATE_FILES_SERVE = "x-accel"
    attachment = claim_attach(actor=supervisor_wang, claim=draft_claim, upload=files.pdf())
    client.force_login(supervisor_wang)
    response = client.get(reverse("parts:claim_attachment", args=[draft_claim.pk, attachment.pk]))
    assert response["X-Accel-Redirect"] == "/protected/" + attachment.file.name and response.content == b""
    assert response["Content-Type"] == "application/pdf"


def test_an_export_is_downloaded_only_by_its_requester_and_as_an_attachment(client, manager_zhou, admin_user):
    from django.core.files.base import ContentFile

    from aftersales.reports.models import ExportJob

    job = ExportJob.objects.create(requested_by=manager_zhou, kind="calls", status="done", file_name="calls.xlsx", params={})
    job.file.save("calls.xlsx", ContentFile(b"PK\x03\x04 not really"), save=True)
    assert job.file.name.startswith("exports/") and "calls" not in job.file.name
    client.force_login(manager_zhou)
    response = client.get(reverse("reports:export_download", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    other = Client()
    other.force_login(admin_user)
    assert other.get(reverse("reports:export_download", args=[job.pk])).status_code == 404


def test_an_uploaded_import_file_is_deleted_after_the_import_or_a_day_later(client, manager_zhou, shanghai):
    import datetime as dt

    from django.utils import timezone

    storage = private_storage()
    for leftover in (storage.listdir("imports")[1] if storage.exists("imports") else []):  # earlier runs' previews
        storage.delete(f"imports/{leftover}")
    client.force_login(manager_zhou)
    upload = files.SimpleUploadedFile("a.csv", "客户名称,电话,服务中心\n导入公司甲,13655556666,SH\n".encode())
    client.post(reverse("customers:import"), {"file": upload})
    assert len(storage.listdir("imports")[1]) == 1
    assert import_files_sweep(timezone.now()) == 0
    assert import_files_sweep(timezone.now() + dt.timedelta(hours=25)) == 1 and storage.listdir("imports")[1] == []
