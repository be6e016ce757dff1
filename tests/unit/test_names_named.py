"""shared.names.named: a record's name in the reader's language, for `name`/`name_hi` or any `<field>`/`<field>_hi`."""
from shared.names import named

ORDER = {"supplier": "S1", "supplier_name": "Mill Co", "supplier_name_hi": "मिल कंपनी"}


def test_a_field_names_the_pair_read_hindi_first_on_hindi_pages():
    assert named(ORDER, "S1", "hi", field="supplier_name") == "मिल कंपनी"
    assert named(ORDER, "S1", "en", field="supplier_name") == "Mill Co"


def test_a_field_with_an_empty_or_missing_hindi_name_falls_back_to_the_name_then_the_code():
    assert named({**ORDER, "supplier_name_hi": ""}, "S1", "hi", field="supplier_name") == "Mill Co"
    assert named({"supplier_name_hi": None}, "S1", "hi", field="supplier_name") == "S1"
    assert named(None, "S1", "hi", field="supplier_name") == "S1"


def test_without_a_field_it_reads_name_and_name_hi_as_before():
    doc = {"name": "Cotton yarn", "name_hi": "सूती धागा", "supplier_name": "not this"}
    assert named(doc, "YARN", "hi") == "सूती धागा"
    assert named({"name": "Cotton yarn", "name_hi": ""}, "YARN", "hi") == "Cotton yarn"
    assert named({}, "YARN", "en") == "YARN"
