"""Notifier request and response schemas."""
from __future__ import annotations

import base64

import marshmallow as ma
from marshmallow import fields as f, validate as v

from services.notifier import domain
from shared.calendar import Day, Moment
from shared.i18n import F_
from shared.lists import page_field
from shared.quantity import Quantity
from shared.text import filled

STATUS_LIST = r"^(open|acknowledged|resolved)(,(open|acknowledged|resolved))*\Z"


class AlertQuery(ma.Schema):
    status = f.String(load_default=None, validate=v.Regexp(STATUS_LIST, error=F_("open, acknowledged or resolved; "
                                                                                 "several with commas")),
                      metadata={"description": "open, acknowledged or resolved; several with commas: open,acknowledged"})
    depot = f.String(load_default=None, validate=v.Length(min=1, max=100),
                     metadata={"description": "a depot's code; a depot's warehouse staff see only their own (another: "
                                              "403 wrong_depot, details.your_depot)"})
    kind = f.String(load_default=None, validate=v.OneOf(domain.KINDS))
    q = f.String(load_default=None, validate=v.Length(max=100),
                 metadata={"description": "words to find in the alert's codes and its material's or depot's name"})
    since = Day(load_default=None, data_key="from", metadata={"description": "first seen on this day (India) or later"})
    until = Day(load_default=None, data_key="to", metadata={"description": "first seen on this day (India) or earlier"})
    limit = f.Integer(load_default=100, validate=v.Range(min=1, max=500), metadata={"description": "a page's size"})
    page = page_field()
    format = f.String(load_default="json", validate=v.OneOf(["json", "csv"]),
                      metadata={"description": "csv: every alert that matches (times in India, +05:30), no paging; "
                                               "titles, and in the last columns the status and severity "
                                               "(`status_text`, `severity_text`), in the asker's language"})

    @ma.validates_schema
    def _days_in_order(self, data, **kwargs):
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise ma.ValidationError(F_("the last day comes before the first"), "to")


class NoteBody(ma.Schema):
    note = f.String(load_default="", validate=v.Length(max=1000))


class Who(ma.Schema):
    by = f.String()
    at = f.AwareDateTime()
    note = f.String()
    cause = f.String()
    outcome = f.String(metadata={"description": "a resolution only: a member's dispute the department settled, "
                                                "upheld or rejected (`by` the admin, `note` theirs)"})
    by_words = f.Dict(keys=f.String(), values=f.String(), metadata={
        "description": "who `by` is in words, per language (en, hi): their display name or role, the login after "
                       "it; where the event that resolved it said who (a settled dispute), or requests told who the "
                       "staff login is (StaffNamed)"})


QUANTITIES = ("available", "reorder_level", "on_hand", "quantity", "book", "counted", "variance", "received",
              "on_order")


def _quantities(details: dict) -> dict:
    """Details with their quantities as the contract writes them ("12.5"), lines included."""
    out = {k: Quantity()._serialize(v, k, details) if k in QUANTITIES and isinstance(v, int) else v
           for k, v in details.items()}
    for key in ("lines", "settled", "still_short"):  # a short share's: what a return settled, what is not yet
        if isinstance(out.get(key), list):
            out[key] = [_quantities(line) if isinstance(line, dict) else line for line in out[key]]
    return out


class AlertSchema(ma.Schema):
    id = f.String(attribute="_id")
    kind = f.String()
    severity = f.String()
    status = f.String()
    depot = f.String(allow_none=True)
    depot_name = f.Dict(allow_none=True, metadata={"description": "The depot's name by language (en, hi); null for an "
                                                                  "alert of no depot"})
    sku = f.String(allow_none=True)
    district = f.String(allow_none=True)
    count = f.Integer()
    first_seen = f.AwareDateTime()
    last_seen = f.AwareDateTime()
    escalated = f.Boolean()
    escalated_at = f.AwareDateTime()
    acknowledged = f.Nested(Who)
    resolved = f.Nested(Who)
    details = f.Method("dump_details")
    title = f.Dict()
    text = f.Dict()
    version = f.Integer()
    updated_at = f.AwareDateTime()

    def dump_details(self, doc):
        return _quantities(dict(doc.get("details") or {}))


class NotificationQuery(ma.Schema):
    unread = f.Boolean(load_default=False)
    limit = f.Integer(load_default=50, validate=v.Range(min=1, max=200))
    page = page_field()


class NotificationSchema(ma.Schema):
    id = f.String()
    requisition_id = f.String(allow_none=True, metadata={"description": "none for news of the artisan's own record "
                                                                        "(status phone_changed, phone_change_asked)"})
    status = f.String()
    title = f.String()
    text = f.String()
    language = f.String()
    created_at = f.AwareDateTime()
    read = f.Boolean()
    read_at = f.AwareDateTime(allow_none=True)
    artisan_id = f.String(allow_none=True)
    artisan = f.String(allow_none=True, metadata={"description": "whose it is: the artisan's name (a secretary reads "
                                                                  "the members'), in the notification's language"})


class WebhookIn(ma.Schema):
    url = f.Url(required=True, schemes={"http", "https"}, require_tld=False, validate=v.Length(max=500))
    topics = f.List(f.String(validate=v.OneOf(domain.WEBHOOK_TOPICS)), load_default=None)
    districts = f.List(f.String(validate=v.Length(min=1, max=100)), load_default=None, metadata={
        "description": "depots' districts, in any case and spacing (\"varanasi\" is Varanasi); none: every district"})
    secret = f.String(load_default=None, validate=v.Length(min=16, max=200))


class WebhookOut(ma.Schema):
    id = f.String(attribute="_id")
    url = f.String()
    topics = f.List(f.String())
    districts = f.List(f.String())
    active = f.Boolean()
    created_at = f.AwareDateTime()
    secret = f.String()  # present only in the answer to POST


class ContactIn(ma.Schema):
    name = f.String(required=True, validate=filled(200))
    email = f.Email(load_default=None)
    phone = f.String(load_default=None, validate=v.Regexp(r"^\+?[0-9]{6,15}\Z", error=F_(
        "6 to 15 digits, without spaces, such as +919811111111")))
    language = f.String(load_default="en", validate=v.OneOf(["en", "hi"]))
    districts = f.List(f.String(validate=v.Length(min=1, max=100)), load_default=None, metadata={
        "description": "depots' districts, in any case and spacing (\"varanasi\" is Varanasi); none: every district"})

    @ma.validates_schema
    def _reachable(self, data, **kwargs):
        if not data.get("email") and not data.get("phone"):
            raise ma.ValidationError(F_("give an e-mail address or a phone number: without one, nothing reaches "
                                        "this contact"), "email")


class ContactOut(ContactIn):
    id = f.String(attribute="_id")
    created_at = f.AwareDateTime()


class ListQuery(ma.Schema):
    """A page of a short list (webhooks, contacts), oldest first."""

    limit = f.Integer(load_default=100, validate=v.Range(min=1, max=500))
    page = page_field()


class DeliveryQuery(ma.Schema):
    status = f.String(load_default=None, validate=v.OneOf(["pending", "sending", "delivered", "failed",
                                                          "skipped"]))
    channel = f.String(load_default=None, validate=v.OneOf(["in_app", "webhook", "email", "sms"]))
    target = f.String(load_default=None, validate=v.Length(max=100))
    limit = f.Integer(load_default=100, validate=v.Range(min=1, max=500))
    page = page_field()


class LogEntry(ma.Schema):
    attempt = f.Integer()
    at = f.AwareDateTime()
    ok = f.Boolean()
    info = f.String()


class DeliverySchema(ma.Schema):
    id = f.String(attribute="_id")
    channel = f.String()
    target = f.String()
    topic = f.String()
    source = f.Method("dump_source")
    status = f.String()
    attempts = f.Integer()
    next_attempt_at = f.AwareDateTime()
    last_error = f.String(allow_none=True)
    created_at = f.AwareDateTime()
    delivered_at = f.AwareDateTime()
    failed_at = f.AwareDateTime()
    log = f.List(f.Nested(LogEntry))

    def dump_source(self, doc):
        source = doc.get("source") or {}
        return {"collection": source.get("collection"), "id": source.get("id")}


class EventQuery(ma.Schema):
    type = f.String(load_default=None, validate=v.Length(max=100))
    limit = f.Integer(load_default=50, validate=v.Range(min=1, max=200))
    before = Moment(load_default=None, metadata={"description": "received_at of the previous page's last"})
    before_event = f.String(load_default=None, validate=v.Length(min=1, max=100), metadata={
        "description": "event_id of the previous page's last, with `before`: events received in the same moment "
                       "as it are not skipped"})
    page = page_field(load_default=None, description="page N (from 1) of `limit` items, instead of `before`")

    @ma.validates_schema
    def _one_way(self, data, **kwargs):
        if data.get("page") is not None and data.get("before"):
            raise ma.ValidationError(F_("use either page or before, not both"), "page")
        if data.get("before_event") and not data.get("before"):
            raise ma.ValidationError(F_("give before (the last event's received_at) with before_event"),
                                     "before_event")


class EventSchema(ma.Schema):
    event_id = f.String()
    type = f.String()
    version = f.Integer()
    occurred_at = f.String()
    received_at = f.AwareDateTime()
    source = f.String()
    key = f.String()
    correlation_id = f.String(allow_none=True)
    payload = f.Dict()


class DeadLetterQuery(ma.Schema):
    event_id = f.String(load_default=None, validate=v.Length(min=1, max=100),
                        metadata={"description": "only the dead letters of this event"})
    values = f.Boolean(load_default=False, metadata={"description": "each with its key and bytes (base64), as "
                                                                    "`rawbank dlq resend` sends them again"})
    limit = f.Integer(load_default=500, validate=v.Range(min=1, max=1000))
    page = page_field()

    @ma.validates_schema
    def _values_of_one_event(self, data, **kwargs):
        if data.get("values") and not data.get("event_id"):  # each up to 512 KiB: one event's, not a page's
            raise ma.ValidationError(F_("give event_id with values: the bytes of one event's dead letters"), "values")


class Base64(f.String):
    """Bytes as base64 text (a dead letter's key and value, as they came)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else base64.b64encode(bytes(value)).decode("ascii")


class DeadLetterSchema(ma.Schema):
    id = f.String(attribute="_id", metadata={"description": "what tells it from another: topic, service, event "
                                                            "(and sending of a resend)"})
    topic = f.String(metadata={"description": "the .dlq topic and where in it the notifier first read it"})
    partition = f.Integer()
    offset = f.Integer()
    event_id = f.String(allow_none=True)
    type = f.String(allow_none=True)
    consumer_group = f.String(allow_none=True, metadata={"description": "the service that could not handle it"})
    reason = f.String(metadata={"description": "why it was kept, as its consumer wrote it (for diagnosis)"})
    reason_explained = f.Nested(lambda: ReasonExplainedSchema(), metadata={
        "description": "what the reason means and what to do next, in each language (as `rawbank dlq list --json`)"})
    alert = f.Nested(lambda: LetterAlertSchema(), allow_none=True, metadata={
        "description": "its alert (id, status): to discard the letter, acknowledge it (POST "
                       "/api/v1/alerts/{id}/acknowledge); null once the alert no longer lists it"})
    original_topic = f.String(allow_none=True)
    resent_from = f.String(allow_none=True, metadata={"description": "a copy `rawbank dlq resend` sent: from where"})
    resend_id = f.String(allow_none=True)
    size = f.Integer(metadata={"description": "bytes kept"})
    truncated_from = f.String(allow_none=True, metadata={"description": "bytes of the message, if cut when kept"})
    error_code = f.String(allow_none=True, metadata={
        "description": "the code of the error the consumer's own handler raised (e.g. insufficient_stock), as an API "
                       "error's code; null when it failed otherwise (a malformed event, an unexpected exception)"})
    error_said = f.Dict(keys=f.String(), values=f.String(), allow_none=True, metadata={
        "description": "that error's message in each language ({en, hi}), as its service says it; null with no "
                       "error_code. reason_explained already says it within what to do"})
    error_meaning = f.Nested(lambda: ErrorMeaningSchema(), allow_none=True, metadata={
        "description": "for a letter kept before consumers kept error_said (null there): what its error's code means, "
                       "derived when read from the code (its error_code, else the code its reason wrote) as rawbank "
                       "says that code's own message, not what the letter said; null when the letter has error_said, "
                       "has no code, or has a code rawbank does not know with one message of its own. "
                       "reason_explained says it within what to do"})
    kept_at = f.AwareDateTime()
    resends = f.List(f.Nested(lambda: ResendSchema()), dump_default=list,
                     metadata={"description": "each sending of `rawbank dlq resend`, oldest first"})
    key = Base64(allow_none=True, metadata={"description": "with values=true"})
    value = Base64(allow_none=True, metadata={"description": "with values=true"})


class ReasonExplainedSchema(ma.Schema):
    """A dead letter's reason as a sentence a person acts on (shared/dead_letters.explain)."""

    en = f.String(metadata={"description": "in English"})
    hi = f.String(metadata={"description": "in Hindi"})


class ErrorMeaningSchema(ma.Schema):
    """What a dead letter's error code means, derived (shared/dead_letters.meaning)."""

    code = f.String(metadata={"description": "the code it was derived from"})
    en = f.String(metadata={"description": "that code's message in English"})
    hi = f.String(metadata={"description": "that code's message in Hindi"})


class LetterAlertSchema(ma.Schema):
    id = f.String()
    status = f.String(metadata={"description": "open, acknowledged or resolved"})


class ResendSchema(ma.Schema):
    resend_id = f.String()
    by = f.String()
    at = f.AwareDateTime()


class ResendBody(ma.Schema):
    id = f.String(required=True, validate=v.Length(min=1, max=400), metadata={"description": "the dead letter's id"})
    resend_id = f.String(required=True, validate=v.Length(min=1, max=100),
                         metadata={"description": "the resend_id header of the copy sent"})
