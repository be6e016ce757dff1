"""The artisan directory on the in-process stores (issue 18, defect 5): admins find anyone by name, number, phone,
district or cooperative; a secretary sees their own members only, never the admin-only fields."""
from __future__ import annotations

from tests.unit.test_money_pages import apps, person, text  # noqa: F401  (fixture)


def test_admins_find_artisans_by_any_of_their_names_and_numbers(apps, config):
    admin = person(apps["requests"], config, "admin", "en")
    every = text(admin.get("/admin/artisans"))
    assert "ART-0001" in every and "ART-0003" in every and "Social category" in every
    for asked, found, not_found in (("ramesh", "ART-0001", "ART-0002"), ("ART-0002", "ART-0002", "ART-0001"),
                                    ("9800000003", "ART-0003", "ART-0001"), ("सीता", "ART-0002", "ART-0003"),
                                    ("varanasi ramesh", "ART-0001", "ART-0003")):
        page = text(admin.get("/admin/artisans", query_string={"q": asked}))
        assert found in page and not_found not in page, asked
    coop = text(admin.get("/admin/artisans", query_string={"q": "SMBSS"}))
    assert "ART-0001" in coop and "ART-0003" in coop
    none = text(admin.get("/admin/artisans", query_string={"q": "nobody-like-this"}))
    assert "No artisan matches" in none
    one = text(admin.get("/admin/artisans/ART-0001"))
    assert "Deactivate" in one and "BPL status" in one


def test_a_secretary_sees_only_their_members_without_the_admin_only_fields(apps, config):
    secretary = person(apps["requests"], config, "secretary", "hi", cooperative="SMBSS")
    page = secretary.get("/admin/artisans").get_data(as_text=True)
    assert "ART-0001" in page and 'name="social_category"' not in page and 'name="bpl"' not in page
    assert text(secretary.get("/admin/artisans")).count("ART-000") >= 3
    other = person(apps["requests"], config, "secretary", "hi", cooperative="NOBODY")
    assert "ART-0001" not in text(other.get("/admin/artisans"))
    assert other.get("/admin/artisans/ART-0001").status_code == 404
    artisan = person(apps["requests"], config, "artisan", "hi", artisan_id="ART-0001")
    assert artisan.get("/admin/artisans").status_code == 403
