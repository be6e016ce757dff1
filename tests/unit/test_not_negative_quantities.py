"""Every quantity a person sets that cannot be below zero refuses a negative with the one message, and takes zero."""
import marshmallow as ma
import pytest

from services.inventory.schemas import MaterialPatchSchema
from services.requests.coop_schemas import ConfirmationSchema, ReceivedLineSchema
from services.requests.money_schemas import CapSchema
from services.requests.schemas import AutoApproveSchema, QuotaSchema

CASES = [
    (MaterialPatchSchema, {}, "reorder_level"),
    (QuotaSchema, {"category": "yarn"}, "limit"),
    (CapSchema, {"category": "yarn"}, "per_loom_per_month"),
    (AutoApproveSchema, {}, "max_quantity"),
    (ReceivedLineSchema, {"sku": "YRN"}, "quantity"),
    (ConfirmationSchema, {"artisan_id": "ART-1"}, "quantity"),
]


@pytest.mark.parametrize("schema,rest,field", CASES)
def test_a_negative_is_refused_and_zero_is_taken(schema, rest, field):
    with pytest.raises(ma.ValidationError) as refused:
        schema().load({**rest, field: "-0.5"})
    assert refused.value.messages[field] == ["must not be negative"]
    assert schema().load({**rest, field: "0"})[field] == 0
