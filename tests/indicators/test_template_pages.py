"""Template configuration pages: administrators create, upload, edit, publish, clone, export and
preview indicator templates; everyone else gets 403 and nothing changes."""

import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import (
    Appendix,
    Indicator,
    IndicatorTemplate,
    OutlineSection,
    Rule,
    TemplateVersion,
    VersionStatus,
)
from indicators.services import (
    TemplateError,
    appendix_replace,
    spec_from_version,
    version_import,
    version_publish,
)
from indicators.spec import AppendixSpec, ColumnSpec, IndicatorSpec
from indicators.standard import STANDARD_OUTLINE
from indicators.workbook import read_template_workbook
from org.permissions import OPERATOR
from tests.factories import PASSWORD
from tests.indicators.test_template_workbooks import (
    FIXTURES,
    base_spec,
    set_indicator,
    workbook_bytes,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def spec_with_grouped_table():
    """base_spec plus a landscape table with a two-level header, numbers and a total row."""
    spec = base_spec()
    spec.appendices.append(
        AppendixSpec(
            code="ho_so",
            name="Phụ lục 3",
            title="HỒ SƠ THEO LĨNH VỰC",
            kind="table",
            landscape=True,
            has_total_row=True,
            columns=[
                ColumnSpec("linh_vuc", "Lĩnh vực", "text", number="(1)"),
                ColumnSpec("tong", "Tổng số", "integer", group="Số hồ sơ nhận", number="(2)"),
                ColumnSpec("moi", "Mới tiếp nhận", "integer", group="Số hồ sơ nhận", number="(3)"),
                ColumnSpec("ty_le", "Tỷ lệ đúng hạn", "percent", number="(4)"),
            ],
            fixed_rows=[{"linh_vuc": "Tư pháp"}],
        )
    )
    return spec


@pytest.fixture
def version(cast):
    return version_import(by=OPERATOR, spec=spec_with_grouped_table())


@pytest.fixture
def admin(client, cast):
    login(client, cast.admin)
    return client


def snapshot():
    """What the pages could change, to check that a refused request changed nothing."""
    return (
        list(IndicatorTemplate.objects.values_list("code", "title", "period_kinds")),
        list(TemplateVersion.objects.values_list("pk", "status", "applies_from")),
        [spec_from_version(v) for v in TemplateVersion.objects.all()],
    )


# --- form data helpers ------------------------------------------------------------------------


def management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(total),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def lines_data(prefix, lines):
    data = management(prefix, len(lines))
    for index, line in enumerate(lines):
        for name, value in line.items():
            if value not in (False, None):
                data[f"{prefix}-{index}-{name}"] = "on" if value is True else str(value)
    return data


def row(stt, label, unit="", code="", value_type="integer", level=1, **more):
    return {
        "stt": stt,
        "label": label,
        "unit": unit,
        "code": code,
        "value_type": value_type,
        "level": level,
        **more,
    }


def stored_rows(appendix):
    return [
        row(r.stt, r.label, r.unit, r.code, r.value_type, r.level, required=r.required)
        for r in appendix.indicators.all()
    ]


def appendix_data(appendix, lines, *, prefix="dong", action="save", paste="", **meta):
    data = {
        "pl-name": appendix.name,
        "pl-code": appendix.code,
        "pl-title": appendix.title,
        "dan-text": paste,
        "action": action,
        **lines_data(prefix, lines),
    }
    if appendix.landscape:
        data["pl-landscape"] = "on"
    if appendix.has_total_row:
        data["pl-has_total_row"] = "on"
    data.update({f"pl-{name}": value for name, value in meta.items()})
    return data


def line_html(response, number) -> str:
    """The HTML of the editor line numbered `number` (1-based), for "beside the row" checks."""
    lines = response.text.split("<tr data-line")[1:]
    return lines[number - 1]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- who may --------------------------------------------------------------------------------


def page_requests(version):
    appendix = version.appendices.get(code="pl1")
    v = version.pk
    return [
        ("get", "/mau/"),
        ("post", "/mau/tao-moi/"),
        ("post", "/mau/nhap-excel/"),
        ("get", f"/mau/phien-ban/{v}/"),
        ("get", f"/mau/phien-ban/{v}/xem-truoc/"),
        ("get", f"/mau/phien-ban/{v}/tai-excel/"),
        ("get", f"/mau/phien-ban/{v}/sua/"),
        ("post", f"/mau/phien-ban/{v}/sua/"),
        ("post", f"/mau/phien-ban/{v}/cong-bo/"),
        ("post", f"/mau/phien-ban/{v}/tao-ban-nhap/"),
        ("post", f"/mau/phien-ban/{v}/xoa/"),
        ("get", f"/mau/phien-ban/{v}/de-cuong/"),
        ("post", f"/mau/phien-ban/{v}/de-cuong/"),
        ("get", f"/mau/phien-ban/{v}/quy-tac/"),
        ("post", f"/mau/phien-ban/{v}/quy-tac/"),
        ("get", f"/mau/phien-ban/{v}/them-phu-luc/"),
        ("post", f"/mau/phien-ban/{v}/them-phu-luc/"),
        ("get", f"/mau/phu-luc/{appendix.pk}/"),
        ("post", f"/mau/phu-luc/{appendix.pk}/"),
        ("post", f"/mau/phu-luc/{appendix.pk}/di-chuyen/"),
        ("post", f"/mau/phu-luc/{appendix.pk}/xoa/"),
    ]


def harmful_data(version):
    """A POST body that would change something if it were accepted."""
    appendix = version.appendices.get(code="pl1")
    return {
        "code": "mau-moi",
        "title": "Mẫu bị đổi",
        "period_kinds": ["Y"],
        "applies_from": "01/01/2027",
        "direction": "down",
        **appendix_data(appendix, [row("1", "Dòng lạ", code="la")]),
        **lines_data("quy-tac", []),
        **lines_data("muc", [{"code": "mot", "title": "Một", "level": 1}]),
        "name": "Phụ lục 9",
        "kind": "indicators",
    }


@pytest.mark.parametrize("visitor", ["staff", "leader", "reviewer"])
def test_other_roles_get_403_on_every_template_page_and_nothing_changes(
    client, cast, version, visitor
):
    login(client, getattr(cast, visitor))
    before = snapshot()
    data = harmful_data(version)
    for method, url in page_requests(version):
        response = client.post(url, data) if method == "post" else client.get(url)
        assert response.status_code == 403, (method, url)
    assert snapshot() == before


def test_anonymous_visitor_is_sent_to_login(client, version):
    for method, url in page_requests(version):
        response = client.post(url) if method == "post" else client.get(url)
        assert response.status_code == 302, (method, url)
        assert response.url.startswith("/dang-nhap/")


def test_state_changing_pages_refuse_get(admin, version):
    before = snapshot()
    for url in ["cong-bo/", "tao-ban-nhap/", "xoa/"]:
        assert admin.get(f"/mau/phien-ban/{version.pk}/{url}").status_code == 405
    assert snapshot() == before


def test_posts_without_csrf_token_are_refused(cast, version):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, cast.admin)
    page = client.get(f"/mau/phien-ban/{version.pk}/").text
    assert page.count('name="csrfmiddlewaretoken"') >= 4
    assert client.post(f"/mau/phien-ban/{version.pk}/cong-bo/").status_code == 403
    version.refresh_from_db()
    assert version.is_draft


def test_the_version_page_names_period_kinds_not_their_codes(admin, version):
    version.template.period_kinds = ["H1", "Y"]
    version.template.save()
    page = admin.get(f"/mau/phien-ban/{version.pk}/").text
    kinds = re.search(r"Loại kỳ</dt><dd[^>]*>([^<]*)</dd>", page).group(1)
    assert kinds == "6 tháng đầu năm, năm"


# --- list, create, upload -------------------------------------------------------------------


def test_list_links_each_version_with_its_state(admin, version):
    version_publish(by=OPERATOR, version=version)
    draft = version_import(by=OPERATOR, spec=spec_with_grouped_table())
    page = admin.get("/mau/").text
    assert f'href="/mau/phien-ban/{version.pk}/"' in page
    assert f'href="/mau/phien-ban/{draft.pk}/"' in page
    assert "Đã công bố" in page and "Bản nháp" in page
    assert "Tạo mẫu mới" in page and "Nhập từ Excel" in page


def test_admin_creates_template_and_gets_a_draft_with_the_standard_outline(admin, cast):
    response = admin.post(
        "/mau/tao-moi/",
        {
            "code": "tinh-a-cchc",
            "title": "Báo cáo CCHC",
            "period_kinds": ["H1", "Y"],
            "applies_from": "01/01/2026",
            "province": cast.province.pk,
        },
    )
    version = TemplateVersion.objects.get(template__code="tinh-a-cchc")
    assert response.status_code == 302
    assert response.url == f"/mau/phien-ban/{version.pk}/"
    assert version.is_draft and version.number == 1
    assert version.template.period_kinds == ["H1", "Y"]
    assert version.template.province == cast.province
    assert [s.code for s in version.outline.all()] == [s.code for s in STANDARD_OUTLINE]
    page = admin.get(response.url).text
    assert "Bản nháp" in page and "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH" in page


def test_create_with_bad_code_or_taken_code_shows_why_and_creates_nothing(admin, version):
    data = {"title": "Báo cáo", "period_kinds": ["Y"], "applies_from": "01/01/2026"}
    response = admin.post("/mau/tao-moi/", {**data, "code": "Mẫu Sai"})
    assert response.status_code == 200
    assert "Mã mẫu chỉ gồm chữ thường không dấu" in response.text
    assert 'value="Báo cáo"' in response.text
    response = admin.post("/mau/tao-moi/", {**data, "code": "mau-thu"})
    assert "Mã mẫu “mau-thu” đã có." in response.text
    response = admin.post("/mau/tao-moi/", {**data, "code": "moi", "period_kinds": []})
    assert response.status_code == 200
    assert IndicatorTemplate.objects.count() == 1 and TemplateVersion.objects.count() == 1


def upload(client, content: bytes, name="mau.xlsx"):
    return client.post("/mau/nhap-excel/", {"file": SimpleUploadedFile(name, content, XLSX)})


def test_upload_of_a_good_file_creates_a_draft_and_opens_it(admin, cast):
    response = upload(admin, workbook_bytes(base_spec()))
    version = TemplateVersion.objects.get()
    assert response.status_code == 302 and response.url == f"/mau/phien-ban/{version.pk}/"
    assert version.is_draft and version.template.code == "mau-thu"
    assert spec_from_version(version).appendices == base_spec().appendices


def test_upload_of_a_bad_file_lists_every_problem_by_row_and_creates_nothing(admin, cast):
    def two_mistakes(workbook):
        set_indicator("Số hoàn thành", 1, "1")(workbook)
        set_indicator("Số nhiệm vụ", 3, "%")(workbook)

    response = upload(admin, workbook_bytes(base_spec(), two_mistakes))
    assert response.status_code == 200
    problems = text_of(response.text)
    assert "Tệp chưa được nhập, chưa tạo gì." in problems
    assert "Trang “Phụ lục 1”, dòng 9: Đơn vị tính “%” mâu thuẫn với kiểu “số nguyên”" in problems
    assert "Trang “Phụ lục 1”, dòng 10: STT “1” bị trùng" in problems
    assert not IndicatorTemplate.objects.exists() and not TemplateVersion.objects.exists()


def test_upload_refuses_a_file_that_is_not_xlsx(admin, cast):
    response = upload(admin, b"STT,Chi tieu\n", name="mau.csv")
    assert "Chỉ nhận tệp Excel .xlsx." in response.text
    response = upload(admin, b"STT,Chi tieu\n", name="mau.xlsx")
    assert "không phải bảng tính Excel .xlsx" in response.text
    assert not TemplateVersion.objects.exists()


# --- version page, export, preview ----------------------------------------------------------


def test_version_page_shows_metadata_outline_printed_tables_and_rules(admin, version):
    page = admin.get(f"/mau/phien-ban/{version.pk}/").text
    assert "Bản nháp" in page and "01/01/2026" in page
    assert "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH" in page
    assert "Chỉ đạo điều hành" in page and "Số nhiệm vụ" in page
    # The two-level header: the group spans its two columns, the others span both rows.
    assert '<th scope="colgroup" colspan="2">Số hồ sơ nhận</th>' in page
    assert re.search(r'<th scope="col" rowspan="2">Lĩnh vực', page)
    assert "(1)</th>" in page and "(4)</th>" in page
    assert "Tư pháp" in page and "Tổng cộng" in page
    assert "so_ht &lt;= so_nv" in page and "Hoàn thành vượt kế hoạch" in page
    for button in ["Công bố", "Tạo bản nháp mới từ phiên bản này", "Xoá bản nháp", "Tải Excel"]:
        assert button in page


def test_version_page_and_preview_queries_do_not_grow_with_rows(admin, version, demo_units):
    big = version_import(by=OPERATOR, spec=read_template_workbook(FIXTURES / "soctrang-2021.xlsx"))
    assert Indicator.objects.filter(appendix__version=big).count() > 100

    def queries(v, page):
        admin.get(f"/mau/phien-ban/{v.pk}/{page}")  # warm: the navigation's to-do count is kept
        with CaptureQueriesContext(connection) as context:
            assert admin.get(f"/mau/phien-ban/{v.pk}/{page}").status_code == 200
        return len(context)

    for page in ["", "xem-truoc/"]:
        assert queries(big, page) == queries(version, page)


def test_published_version_page_shows_date_and_no_edit_buttons(admin, version):
    version = version_publish(by=OPERATOR, version=version)
    page = admin.get(f"/mau/phien-ban/{version.pk}/").text
    assert f"Đã công bố {version.published_at.astimezone():%d/%m/%Y}" in page
    assert "Xoá bản nháp" not in page and "Thêm phụ lục" not in page
    assert "Tạo bản nháp mới từ phiên bản này" in page


def test_export_downloads_a_workbook_that_reads_back_equal(admin, version):
    response = admin.get(f"/mau/phien-ban/{version.pk}/tai-excel/")
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="mau-thu-v1.xlsx"'
    assert read_template_workbook(BytesIO(response.content)) == spec_from_version(version)


def test_preview_renders_the_entry_forms_staff_will_get(admin, version):
    page = admin.get(f"/mau/phien-ban/{version.pk}/xem-truoc/").text
    # Indicator appendix: a value input, "không áp dụng" and a note per value row; headings bold.
    assert 'name="pl1-v-so_nv"' in page and 'name="pl1-na-so_nv"' in page
    assert 'name="pl1-note-so_nv"' in page and 'name="pl1-v-Chỉ"' not in page
    assert re.search(r'class="fw-bold[^"]*"[^>]*>Chỉ đạo điều hành</td>', page)
    assert '<option value="1">Có = 1</option>' in page
    # Tables: header, management form, the fixed row, empty form for "Thêm dòng", live total.
    assert 'name="t-ho_so-TOTAL_FORMS" value="1"' in page
    assert "Tư pháp</textarea>" in page
    assert 'name="t-ho_so-__prefix__-tong"' in page and "Thêm dòng" in page
    assert 'data-total="tong"' in page and 'data-total="moi"' in page
    assert 'data-total="ty_le"' not in page  # percentages are not added up
    assert 'name="t-bang-TOTAL_FORMS" value="0"' in page
    assert "Cải cách thể chế" in page  # outline headings


def test_preview_of_a_draft_shows_each_edit_at_once(admin, version):
    """Entry rows are rendered from a skeleton kept per template version; a draft's must never
    be served stale."""
    assert "Số nhiệm vụ" in admin.get(f"/mau/phien-ban/{version.pk}/xem-truoc/").text
    Indicator.objects.filter(appendix__version=version, code="so_nv").update(
        label="Số nhiệm vụ trong kế hoạch năm", help_text="Đếm cả nhiệm vụ bổ sung"
    )
    page = admin.get(f"/mau/phien-ban/{version.pk}/xem-truoc/").text
    assert "Số nhiệm vụ trong kế hoạch năm" in page
    assert 'aria-describedby="id_pl1-v-so_nv_helptext"' in page
    assert "Đếm cả nhiệm vụ bổ sung" in page


# --- metadata --------------------------------------------------------------------------------


def test_admin_edits_draft_metadata(admin, version):
    response = admin.post(
        f"/mau/phien-ban/{version.pk}/sua/",
        {"title": "Mẫu mới", "period_kinds": ["Q1", "Y"], "applies_from": "15/02/2027"},
    )
    assert response.status_code == 302
    version.refresh_from_db()
    version.template.refresh_from_db()
    assert version.template.title == "Mẫu mới"
    assert version.template.period_kinds == ["Q1", "Y"]
    assert version.applies_from.isoformat() == "2027-02-15"


def test_metadata_without_period_kind_or_date_is_refused(admin, version):
    response = admin.post(
        f"/mau/phien-ban/{version.pk}/sua/", {"title": "Mẫu mới", "applies_from": "31/02/2027"}
    )
    assert response.status_code == 200
    assert 'value="Mẫu mới"' in response.text
    version.template.refresh_from_db()
    assert version.template.title == "Mẫu thử"


# --- editing an indicator appendix ----------------------------------------------------------


def test_admin_replaces_rows_in_the_order_on_screen(admin, version):
    appendix = version.appendices.get(code="pl1")
    lines = stored_rows(appendix)
    lines[1]["label"] = "Số nhiệm vụ đề ra trong kế hoạch"
    lines[1], lines[2] = lines[2], lines[1]  # moved with ↑ ↓: the order posted is the new order
    lines[1]["stt"], lines[2]["stt"] = "1", "2"
    lines.append(row("3", "Số nhiệm vụ mới", "Nhiệm vụ", "so_nv_moi", level=2))
    lines.insert(3, row("", "", value_type="", level=1))  # an untouched "Thêm dòng" is ignored
    response = admin.post(f"/mau/phu-luc/{appendix.pk}/", appendix_data(appendix, lines))
    assert response.status_code == 302
    rows = list(appendix.indicators.all())
    assert [r.code for r in rows][:3] == ["", "so_ht", "so_nv"]
    assert rows[2].label == "Số nhiệm vụ đề ra trong kế hoạch"
    assert rows[-1].code == "so_nv_moi" and rows[-1].level == 2 and len(rows) == 10


def test_repeated_stt_is_shown_beside_its_row_and_typed_text_is_kept(admin, version):
    appendix = version.appendices.get(code="pl1")
    before = snapshot()
    lines = stored_rows(appendix)
    lines[2]["stt"] = "1"  # "Số hoàn thành" repeats the "1" of the line above
    lines[2]["label"] = "Số hoàn thành (đã sửa)"
    lines[1]["unit"] = "%"  # and a second, unrelated mistake
    response = admin.post(f"/mau/phu-luc/{appendix.pk}/", appendix_data(appendix, lines))
    assert response.status_code == 200
    assert "STT “1” bị trùng" in text_of(line_html(response, 3))
    assert "Đơn vị tính “%” mâu thuẫn" in text_of(line_html(response, 2))
    assert "bị trùng" not in line_html(response, 2)
    assert "Số hoàn thành (đã sửa)" in response.text
    assert snapshot() == before


def test_problems_name_editor_line_numbers(admin, version):
    appendix = version.appendices.get(code="pl1")
    lines = stored_rows(appendix)
    lines[6]["code"] = "so_nv"  # line 7 reuses the code of line 2
    lines[6]["value_type"] = "integer"
    response = admin.post(f"/mau/phu-luc/{appendix.pk}/", appendix_data(appendix, lines))
    beside = text_of(line_html(response, 7))
    assert "Mã chỉ tiêu “so_nv” đã dùng ở Trang “Phụ lục 1”, dòng 2." in beside


def test_pasted_lines_are_appended_for_review_then_saved(admin, version):
    appendix = version.appendices.get(code="pl1")
    lines = stored_rows(appendix)
    pasted = "III\tCông chức\t\t\ttiêu đề\t1\r\n1\tSố công chức\tNgười\tso_cc\tsố nguyên\t2\r\n"
    data = appendix_data(appendix, lines, action="paste", paste=pasted)
    response = admin.post(f"/mau/phu-luc/{appendix.pk}/", data)
    assert response.status_code == 200
    assert "Đã thêm 2 dòng" in response.text
    assert 'name="dong-TOTAL_FORMS" value="11"' in response.text
    assert "Số công chức" in line_html(response, 11)
    assert appendix.indicators.count() == 9  # nothing saved yet
    response = admin.post(f"/mau/phu-luc/{appendix.pk}/", {**data, "action": "save"})
    assert response.status_code == 302
    last = appendix.indicators.last()
    assert (last.stt, last.label, last.unit, last.code, last.value_type, last.level) == (
        "1",
        "Số công chức",
        "Người",
        "so_cc",
        "integer",
        2,
    )


def test_pasted_block_with_header_row_follows_its_headers():
    from indicators.editor import read_pasted

    text = "Chỉ tiêu\tMã chỉ tiêu\tKiểu\tBắt buộc\tCấp\nSố cuộc kiểm tra\tso_kt\tsố nguyên\tcó\t2\n"
    assert read_pasted(text, "rows") == [
        {
            "label": "Số cuộc kiểm tra",
            "code": "so_kt",
            "value_type": "integer",
            "required": "on",
            "level": "2",
        }
    ]


def test_other_empty_appendices_do_not_block_saving_rows_but_block_publishing(admin, version):
    new = admin.post(
        f"/mau/phien-ban/{version.pk}/them-phu-luc/",
        {"name": "Phụ lục 4", "code": "pl4", "title": "BẢNG MỚI", "kind": "table"},
    )
    added = Appendix.objects.get(code="pl4")
    assert new.url == f"/mau/phu-luc/{added.pk}/" and added.position == 3
    appendix = version.appendices.get(code="pl1")
    lines = stored_rows(appendix)
    lines[1]["label"] = "Đã sửa"
    response = admin.post(f"/mau/phu-luc/{appendix.pk}/", appendix_data(appendix, lines))
    assert response.status_code == 302
    response = admin.post(f"/mau/phien-ban/{version.pk}/cong-bo/", follow=True)
    assert "Trang “Phụ lục 4”: Bảng không có cột nào." in response.text
    version.refresh_from_db()
    assert version.is_draft


def test_added_appendix_code_must_be_unused(admin, version):
    response = admin.post(
        f"/mau/phien-ban/{version.pk}/them-phu-luc/",
        {"name": "Phụ lục 4", "code": "so_nv", "title": "BẢNG", "kind": "indicators"},
    )
    assert response.status_code == 200
    assert "Mã bảng “so_nv” đã dùng ở Trang “Phụ lục 1”, dòng 2." in response.text
    assert version.appendices.count() == 3


# --- editing a table appendix ---------------------------------------------------------------


def column(code, header, value_type="integer", group="", number="", **more):
    return {
        "code": code,
        "header": header,
        "value_type": value_type,
        "group": group,
        "number": number,
        **more,
    }


def test_admin_edits_table_columns_and_fixed_rows(admin, version):
    table = version.appendices.get(code="bang")
    lines = [
        column("ten", "Tên đơn vị", "text", number="(1)", required=True),
        column("nhan", "Nhận", group="Hồ sơ", number="(2)"),
        column("xong", "Đã giải quyết", group="Hồ sơ", number="(3)"),
        column("muc", "Mức độ", "choice", choice_text="Một phần = 3 Toàn trình = 4"),
    ]
    data = appendix_data(table, lines, prefix="cot", has_total_row="on")
    data["co-dinh-text"] = "Sở Tư pháp\t12\t10\r\nSở Y tế\t\t\t4\r\n"
    response = admin.post(f"/mau/phu-luc/{table.pk}/", data)
    assert response.status_code == 302
    table.refresh_from_db()
    columns = list(table.columns.all())
    assert [(c.code, c.group, c.number) for c in columns] == [
        ("ten", "", "(1)"),
        ("nhan", "Hồ sơ", "(2)"),
        ("xong", "Hồ sơ", "(3)"),
        ("muc", "", ""),
    ]
    assert columns[0].required and columns[3].choices == [[3, "Một phần"], [4, "Toàn trình"]]
    assert table.has_total_row
    assert table.fixed_rows == [
        {"ten": "Sở Tư pháp", "nhan": "12", "xong": "10"},
        {"ten": "Sở Y tế", "muc": "4"},
    ]


def test_fixed_rows_that_do_not_fit_the_columns_are_refused(admin, version):
    table = version.appendices.get(code="bang")
    lines = [column("ten", "Tên", "text"), column("so", "Số", number="(2)")]
    data = appendix_data(table, lines, prefix="cot")
    data["co-dinh-text"] = "Sở Tư pháp\t12\t99\r\n"
    response = admin.post(f"/mau/phu-luc/{table.pk}/", data)
    assert "Dòng cố định thứ 1 có 3 ô nhưng bảng chỉ có 2 cột." in response.text
    data["co-dinh-text"] = "Sở Tư pháp\tmười hai\r\n"
    response = admin.post(f"/mau/phu-luc/{table.pk}/", data)
    assert (
        "Trang “Phụ lục 2”: Dòng cố định thứ 1, cột “Số”: “mười hai” không phải là số."
        in text_of(response.text)
    )
    table.refresh_from_db()
    assert table.fixed_rows == []


def test_repeated_column_code_is_shown_beside_its_line(admin, version):
    table = version.appendices.get(code="bang")
    lines = [column("ten", "Tên", "text"), column("ten", "Số", number="(2)")]
    response = admin.post(f"/mau/phu-luc/{table.pk}/", appendix_data(table, lines, prefix="cot"))
    assert "Mã cột “ten” bị trùng." in text_of(line_html(response, 2))
    assert [c.code for c in table.columns.all()] == ["ten", "so"]


# --- outline and rules ----------------------------------------------------------------------


def rule(code, expression, message="Sai", severity="error", missing="skip"):
    return {
        "code": code,
        "severity": severity,
        "expression": expression,
        "message": message,
        "missing": missing,
    }


def test_admin_saves_rules_that_compile(admin, version):
    lines = [
        rule("ht_le_nv", "so_ht <= so_nv", "Hoàn thành vượt kế hoạch"),
        rule("tong_ho_so", "ho_so.tong >= ho_so.moi", "Tổng nhỏ hơn phần", "warning", "zero"),
    ]
    response = admin.post(f"/mau/phien-ban/{version.pk}/quy-tac/", lines_data("quy-tac", lines))
    assert response.status_code == 302
    saved = list(Rule.objects.filter(version=version).values_list("code", "severity", "missing"))
    assert saved == [("ht_le_nv", "error", "skip"), ("tong_ho_so", "warning", "zero")]


def test_rule_with_syntax_error_shows_position_beside_it_and_is_not_saved(admin, version):
    lines = [
        rule("ht_le_nv", "so_ht <= so_nv", "Hoàn thành vượt kế hoạch"),
        rule("moi", "so_ht <= (so_nv", "Ngoặc chưa đóng"),
    ]
    response = admin.post(f"/mau/phien-ban/{version.pk}/quy-tac/", lines_data("quy-tac", lines))
    assert response.status_code == 200
    beside = text_of(line_html(response, 2))
    assert "Quy tắc “moi”:" in beside
    assert re.search(r"\(dòng 1, cột \d+\)", beside)
    assert "Quy tắc" not in text_of(line_html(response, 1))
    assert "so_ht &lt;= (so_nv" in response.text  # what was typed stays
    assert list(version.rules.values_list("code", flat=True)) == ["ht_le_nv"]


def test_admin_edits_the_outline_and_a_level_2_first_section_is_refused(admin, version):
    lines = [
        {"code": "ket_qua", "stt": "I", "title": "KẾT QUẢ", "level": 1},
        {"code": "the_che", "stt": "1", "title": "Thể chế", "level": 2, "help_text": "Ghi rõ"},
    ]
    response = admin.post(f"/mau/phien-ban/{version.pk}/de-cuong/", lines_data("muc", lines))
    assert response.status_code == 302
    sections = OutlineSection.objects.filter(version=version)
    assert [(s.code, s.level, s.help_text) for s in sections] == [
        ("ket_qua", 1, ""),
        ("the_che", 2, "Ghi rõ"),
    ]
    response = admin.post(
        f"/mau/phien-ban/{version.pk}/de-cuong/", lines_data("muc", list(reversed(lines)))
    )
    assert "Cấp của mục phải là 1" in text_of(line_html(response, 1))
    assert [s.code for s in sections.all()] == ["ket_qua", "the_che"]


# --- appendices: move, delete ---------------------------------------------------------------


def test_admin_moves_an_appendix_down_and_up(admin, version):
    pl1 = version.appendices.get(code="pl1")
    admin.post(f"/mau/phu-luc/{pl1.pk}/di-chuyen/", {"direction": "down"})
    assert [a.code for a in version.appendices.all()] == ["bang", "pl1", "ho_so"]
    admin.post(f"/mau/phu-luc/{pl1.pk}/di-chuyen/", {"direction": "up"})
    admin.post(f"/mau/phu-luc/{pl1.pk}/di-chuyen/", {"direction": "up"})  # already first
    assert [a.code for a in version.appendices.all()] == ["pl1", "bang", "ho_so"]


def test_appendix_used_by_rules_is_not_deleted_until_the_rules_go(admin, version):
    pl1 = version.appendices.get(code="pl1")
    response = admin.post(f"/mau/phu-luc/{pl1.pk}/xoa/", follow=True)
    assert "Chưa xoá được phụ lục" in response.text and "ht_le_nv" in response.text
    assert version.appendices.filter(pk=pl1.pk).exists()
    table = version.appendices.get(code="ho_so")
    admin.post(f"/mau/phu-luc/{table.pk}/xoa/")
    assert [a.code for a in version.appendices.all()] == ["pl1", "bang"]


# --- publish, clone, delete, published versions are frozen ----------------------------------


def test_publish_then_clone_gives_a_v2_draft_equal_in_structure(admin, version):
    response = admin.post(f"/mau/phien-ban/{version.pk}/cong-bo/", follow=True)
    assert "Đã công bố phiên bản v1." in response.text
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED and version.published_at
    response = admin.post(f"/mau/phien-ban/{version.pk}/tao-ban-nhap/")
    draft = TemplateVersion.objects.get(template=version.template, number=2)
    assert response.url == f"/mau/phien-ban/{draft.pk}/"
    assert draft.is_draft
    assert spec_from_version(draft) == spec_from_version(version)


def test_published_version_cannot_be_edited(admin, version):
    version = version_publish(by=OPERATOR, version=version)
    appendix = version.appendices.get(code="pl1")
    before = snapshot()
    for url in [
        f"/mau/phien-ban/{version.pk}/sua/",
        f"/mau/phien-ban/{version.pk}/de-cuong/",
        f"/mau/phien-ban/{version.pk}/quy-tac/",
        f"/mau/phien-ban/{version.pk}/them-phu-luc/",
        f"/mau/phu-luc/{appendix.pk}/",
    ]:
        response = admin.get(url)
        assert response.status_code == 403
        assert "đã công bố nên không sửa được" in response.text
    lines = stored_rows(appendix)
    lines[1]["label"] = "Sửa lén"
    response = admin.post(f"/mau/phu-luc/{appendix.pk}/", appendix_data(appendix, lines))
    assert response.status_code == 403
    assert "đã công bố nên không sửa được" in response.text
    admin.post(f"/mau/phien-ban/{version.pk}/xoa/")
    admin.post(f"/mau/phu-luc/{appendix.pk}/xoa/")
    assert snapshot() == before


def test_service_refuses_to_replace_rows_of_a_published_version(version):
    version = version_publish(by=OPERATOR, version=version)
    appendix = version.appendices.get(code="pl1")
    spec = AppendixSpec(
        "pl1", "Phụ lục 1", "X", "indicators", indicators=[IndicatorSpec("", "A", "", "a", "text")]
    )
    with pytest.raises(TemplateError, match="đã công bố"):
        appendix_replace(by=OPERATOR, version=version, appendix=appendix, spec=spec)


def test_deleting_the_only_draft_removes_the_template_too(admin, version):
    response = admin.post(f"/mau/phien-ban/{version.pk}/xoa/", follow=True)
    assert "Đã xoá bản nháp v1 và mẫu “mau-thu”" in response.text
    assert not IndicatorTemplate.objects.exists()


def test_deleting_a_later_draft_keeps_the_published_version(admin, version):
    version_publish(by=OPERATOR, version=version)
    draft = version_import(by=OPERATOR, spec=spec_with_grouped_table())
    admin.post(f"/mau/phien-ban/{draft.pk}/xoa/")
    assert list(TemplateVersion.objects.values_list("number", flat=True)) == [1]


def test_the_editor_sets_whether_a_figure_is_a_stock_or_a_flow(admin, version):
    appendix = version.appendices.get(code="pl1")
    lines = stored_rows(appendix)
    assert "Thời điểm / thời kỳ" in admin.get(f"/mau/phu-luc/{appendix.pk}/").text
    lines[1]["timing"] = "point"
    lines[2]["timing"] = "period"
    response = admin.post(f"/mau/phu-luc/{appendix.pk}/", appendix_data(appendix, lines))
    assert response.status_code == 302
    rows = list(appendix.indicators.all())
    assert (rows[1].timing, rows[2].timing, rows[3].timing) == ("point", "period", "")
    assert rows[1].is_stock and not rows[2].is_stock


def test_the_editor_says_which_indicator_may_be_slash_and_which_section_must_be_written(
    admin, version
):
    """The editor's "Cho phép “/”" (Mặc định / Có / Không) and "Phải viết", shown as stored
    and saved as chosen."""
    appendix = version.appendices.get(code="pl1")
    lines = stored_rows(appendix)
    codes = [line["code"] for line in lines]
    lines[codes.index("so_nv")]["not_applicable"] = "co"
    lines[codes.index("so_ht")]["not_applicable"] = "khong"
    response = admin.post(f"/mau/phu-luc/{appendix.pk}/", appendix_data(appendix, lines))
    assert response.status_code == 302
    stored = dict(appendix.indicators.exclude(code="").values_list("code", "not_applicable"))
    assert (stored["so_nv"], stored["so_ht"]) == (True, False)
    assert {stored[c] for c in stored if c not in ("so_nv", "so_ht")} == {None}
    page = admin.get(f"/mau/phu-luc/{appendix.pk}/").text
    assert "Cho phép “/”" in page and '<option value="khong" selected>' in page

    lines = [
        {"code": "chi_dao", "stt": "I", "title": "CHỈ ĐẠO", "level": 1, "required": True},
        {"code": "kien_nghi", "stt": "II", "title": "KIẾN NGHỊ", "level": 1},
    ]
    response = admin.post(f"/mau/phien-ban/{version.pk}/de-cuong/", lines_data("muc", lines))
    assert response.status_code == 302
    sections = OutlineSection.objects.filter(version=version)
    assert [(s.code, s.required) for s in sections] == [("chi_dao", True), ("kien_nghi", False)]
    page = admin.get(f"/mau/phien-ban/{version.pk}/de-cuong/").text
    assert "Phải viết" in page and 'name="muc-0-required"' in page
