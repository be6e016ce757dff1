"""Hypothesis drives artisans' money through the requests API in any order: requisitions of one artisan, and of their
cooperative for both (each member paying and charged for their own share), submitted, approved,
held, dispatched on credit, received, cancelled and rejected; payments, advances and repayments, their references
sent again with the same or another content; payments reversed by an admin; refunds of what is to an artisan's
credit; credit terms changed between steps; a dispatch that dies after charging the account and before storing
the requisition as dispatched (then dispatched again, or cancelled). After every step the account must agree with a model that keeps only
what the API answered (the money taken in, taken back and handed back, and the locked price of each share
dispatched), every refusal must be the one the rules give and change nothing, and `rawbank reconcile`'s money checks
must find nothing. RAWBANK_MONEY_EXAMPLES (60) and RAWBANK_MONEY_STEPS (40) scale a search."""
import os

import hypothesis.strategies as st
from hypothesis import event, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from services.requests import create_app, pricing, requisitions
from services.requests.accounts import payment_id
from shared.auth import Principal, issue_token
from shared.config import Config
from shared.errors import Error
from shared.money import format_money, parse_money
from shared.reconcile import check, facts_of
from tests.integration.test_inventory_support import Killed
from tests.integration.test_requests_money_support import COTTON, DYE, SILK, priced_catalog, reserved, RMSS
from tests.integration.test_requests_support import Client, know_depots, know_materials

ARTISANS = st.sampled_from(["ART-1", "ART-2"])
LINES = st.lists(st.tuples(st.sampled_from([COTTON, SILK, DYE]), st.sampled_from(["0.5", "1", "2.25", "12"])),
                 min_size=1, max_size=2, unique_by=lambda line: line[0])
PAISE = st.one_of(st.integers(1, 500_000), st.sampled_from([100_00, 1_000_00, 2_898_00]))
REFERENCES = st.sampled_from(["UTR-1", "UTR-2", "UTR-3", "CASH/7", "CASH/8"])
CLOSED = ("cancelled", "rejected")


def body(response) -> dict:
    return response.get_json() or {}


class DiesStoringTheDispatch:
    """The store as a dispatch sees it: the process dies (Killed) at the write that stores the requisition as
    dispatched, after the account was charged."""

    def __init__(self, db):
        self._db = db

    def __getattr__(self, name):
        collection = getattr(self._db, name)
        return _Dying(collection) if name == "requisitions" else collection


class _Dying:
    def __init__(self, collection):
        self._collection = collection

    def __getattr__(self, name):
        return getattr(self._collection, name)

    def update_one(self, query, update, *args, **kwargs):
        if update.get("$set", {}).get("status") == "dispatched":
            raise Killed()
        return self._collection.update_one(query, update, *args, **kwargs)


class MoneyMachine(RuleBasedStateMachine):
    @initialize()
    def start(self):
        self.config = Config.from_env({})
        self.app = create_app(self.config)
        self.db = self.app.extensions["rawbank"].db
        know_materials(self.db)
        know_depots(self.db)
        self.client = Client(self.app, self.token)
        priced_catalog(self.db)
        self.client.call("POST", "/schemes", self.client.admin(), RMSS, status=201)
        for artisan_id, looms in (("ART-1", 1), ("ART-2", 2)):
            self.client.register(artisan_id, looms=looms)
        self.owner = {}        # requisition -> its members (one artisan's: that artisan), in the order of its shares
        self.charged = {}      # (requisition, artisan) -> the share's payable, charged at dispatch
        self.paid = {}         # (requisition, artisan) -> paid on the share: payments less reversals and refunds
        self.cash = {"ART-1": 0, "ART-2": 0}   # per artisan: taken in, less taken back and handed back
        self.payments = {}     # (artisan, reference) -> (requisition, amount, method, reversed)
        self.refunds = {}      # (artisan, reference) -> (amount, reason)
        self.terms = {"ART-1": (0, 0, 0), "ART-2": (0, 0, 0)}  # limit (paise), days, advance (basis points)
        self.set_terms("ART-1", 3_000_00, 30, 2_500)  # a little credit, a quarter paid before goods leave
        self.set_terms("ART-2", 20_000_00, 30, 0)  # more credit, nothing before
        self.dangling = set()  # requisitions a dispatch charged and died before storing as dispatched

    def token(self, role, sub=None, **claims):
        if role == "artisan":
            claims.setdefault("artisan_id", "ART-1")
        return {"Authorization": "Bearer " + issue_token(self.config.jwt_secret, sub=sub or f"{role}-user", role=role,
                                                         **claims)}

    def teardown(self):
        if hasattr(self, "app"):
            self.app.extensions["rawbank"].close()

    # --- what the store holds, to see a refusal change nothing ---

    def stored(self, rid=None):
        accounts = sorted((d["_id"], d.get("balance"), d.get("version"), str(d.get("entries")), str(d.get("paid")))
                          for d in self.db.accounts.find({}, {"outbox": 0}))
        doc = self.db.requisitions.find_one({"_id": rid}, {"outbox": 0}) if rid else None
        return accounts, doc

    def refused(self, response, before, rid=None, *codes) -> str | None:
        """The refusal's code, once it is checked to be JSON, one of `codes` and to have changed nothing; None if
        the step was applied."""
        if response.status_code < 400:
            event("applied")
            return None
        assert response.status_code < 500, body(response)
        code = body(response)["error"]["code"]
        assert code in codes, (code, codes, body(response))
        assert self.stored(rid) == before, code
        event(f"refused: {code}")
        return code

    def payable(self, rid, artisan_id) -> int:
        """What the artisan's share of the requisition costs them (all of it, for one artisan's own)."""
        doc = self.db.requisitions.find_one({"_id": rid}, {"pricing": 1, "shares": 1})
        share = next((s for s in doc.get("shares") or () if s["artisan_id"] == artisan_id), doc)
        return (share.get("pricing") or {}).get("payable_total", 0)

    def coop(self, rid) -> bool:
        return len(self.owner[rid]) > 1

    def whose(self, rid, artisan_id) -> dict:
        """What a payment or reversal on a cooperative's requisition says of the member it is for."""
        return {"artisan_id": artisan_id} if self.coop(rid) else {}

    def paid_in(self, rid, artisan_id, amount) -> None:
        """The model's share of the requisition paid `amount` more (less, when negative: a payment taken back)."""
        self.paid[(rid, artisan_id)] += amount
        self.cash[artisan_id] += amount

    def by(self, rid):
        """Who moves the requisition on for its people: the cooperative's secretary, or the artisan."""
        return self.client.secretary("Coop-A") if self.coop(rid) else self.client.artisan(self.owner[rid][0])

    def status(self, rid) -> str:
        return self.db.requisitions.find_one({"_id": rid}, {"status": 1})["status"]

    def balance(self, artisan_id) -> int:
        return sum(amount for (_, whose), amount in self.charged.items() if whose == artisan_id) - \
            self.cash[artisan_id]

    # --- requisitions ---

    @rule(artisan_id=ARTISANS, lines=LINES)
    def submit(self, artisan_id, lines):
        made = self.client.submit(self.client.artisan(artisan_id), lines)
        self.owner[made["id"]] = [artisan_id]
        self.paid[(made["id"], artisan_id)] = 0

    @rule(first=LINES, second=LINES, order=st.sampled_from([("ART-1", "ART-2"), ("ART-2", "ART-1")]))
    def submit_for_the_cooperative(self, first, second, order):
        """Coop-A's secretary asks for both members, each their own lines."""
        lines = [{"sku": sku, "quantity": q, "artisan_id": who} for who, mine in zip(order, (first, second))
                 for sku, q in mine]
        made = self.client.call("POST", "/requisitions", self.client.secretary("Coop-A"),
                                {"depot": "VNS", "cooperative": "Coop-A", "lines": lines}, status=201).get_json()
        self.owner[made["id"]] = list(order)
        for who in order:
            self.paid[(made["id"], who)] = 0

    def requisitions(self, *statuses):
        """In the order submitted (their ids are random: sorted, the same draw would pick another each run)."""
        return [rid for rid in self.owner if not statuses or self.status(rid) in statuses]

    @precondition(lambda self: self.requisitions("submitted"))
    @rule(data=st.data(), hold=st.booleans())
    def approve(self, data, hold):
        rid = data.draw(st.sampled_from(self.requisitions("submitted")))
        self.client.act(rid, "approve", self.client.admin())
        if hold:  # else it waits for stock: not ready to dispatch
            reserved(self.db, rid)

    @precondition(lambda self: self.owner)
    @rule(data=st.data())
    def dispatch(self, data):
        ready = self.requisitions("reserved")  # mostly one held: else most dispatches are refused by status
        self.dispatch_one(data.draw(st.sampled_from(ready if ready and data.draw(st.integers(0, 4))
                                                    else self.requisitions())))

    @precondition(lambda self: self.requisitions("reserved"))
    @rule(data=st.data())
    def pay_in_full_and_dispatch(self, data):
        """The counter takes what is still due on each share in cash, then hands the goods over: no credit asked."""
        rid = data.draw(st.sampled_from(self.requisitions("reserved")))
        for who in self.owner[rid]:
            if (due := self.payable(rid, who) - self.paid[(rid, who)]) > 0:
                reference = f"FULL/{len(self.payments)}"
                self.client.call("POST", f"/requisitions/{rid}/payments", self.token("warehouse", depot="VNS"),
                                 {"amount": format_money(due), "method": "cash", "reference": reference,
                                  **self.whose(rid, who)}, status=201)
                self.payments[(who, reference)] = (rid, due, "cash", False)
                self.paid_in(rid, who, due)
        self.dispatch_one(rid)
        assert self.status(rid) == "dispatched"

    def dispatch_one(self, rid):
        status, before = self.status(rid), self.stored(rid)
        shares = [(who, self.payable(rid, who), self.paid[(rid, who)]) for who in self.owner[rid]]
        response = self.client.call("POST", f"/requisitions/{rid}/dispatch", self.token("warehouse", depot="VNS"), {})
        code = self.refused(response, before, rid, "illegal_transition", "credit_limit_exceeded", "advance_required")
        if status != "reserved":
            assert code == "illegal_transition", (status, code)
            return
        expected = self.credit_refusal(rid)
        assert code == expected, (code, expected, shares, {who: self.balance(who) for who in self.owner[rid]},
                                  self.terms)
        if code is not None and self.coop(rid):  # the refusal names the member it is about
            assert body(response)["error"]["details"]["artisan_id"] in self.owner[rid]
        on_credit = any(paid < payable for _, payable, paid in shares)
        event(f"dispatch{' (cooperative)' if self.coop(rid) else ''}: "
              f"{code or ('after a death' if rid in self.dangling else 'on credit' if on_credit else 'paid in full')}")
        if code is None:
            self.charge(rid)
            self.dangling.discard(rid)

    def charge(self, rid) -> None:
        for who in self.owner[rid]:
            self.charged[(rid, who)] = self.payable(rid, who)

    def credit_refusal(self, rid) -> str | None:
        """Why the credit terms refuse to dispatch a held requisition now (the first share, in order, that they
        refuse), or None. One a dead dispatch charged is charged already: the retry only stores it as dispatched."""
        if rid in self.dangling:
            return None
        for artisan_id in self.owner[rid]:
            payable, paid = self.payable(rid, artisan_id), self.paid[(rid, artisan_id)]
            limit, _, advance = self.terms[artisan_id]
            if paid >= payable:
                continue
            if self.balance(artisan_id) + payable > limit:
                return "credit_limit_exceeded"
            if paid < pricing.advance_needed(payable, advance):
                return "advance_required"
        return None

    @precondition(lambda self: self.requisitions("reserved"))
    @rule(data=st.data())
    def die_dispatching(self, data):
        """A dispatch dies after charging the account, before the requisition is stored as dispatched."""
        rid = data.draw(st.sampled_from(self.requisitions("reserved")))
        expected, before = self.credit_refusal(rid), self.stored(rid)
        try:
            requisitions.act(DiesStoringTheDispatch(self.db), Principal("wh", "warehouse", depot="VNS"), rid,
                             "dispatch")
        except Killed:
            assert expected is None
            self.charge(rid)
            self.dangling.add(rid)
            event("died dispatching after the charge")
            return
        except Error as exc:
            assert exc.code == expected, (exc.code, expected)
            assert self.stored(rid) == before
            return
        raise AssertionError("the dispatch stored the requisition though its process died")

    @precondition(lambda self: self.owner)
    @rule(data=st.data(), action=st.sampled_from(["cancel", "reject", "receive"]))
    def move_on(self, data, action):
        rid = data.draw(st.sampled_from(self.requisitions()))
        by = self.client.admin() if action == "reject" else self.by(rid)
        before = self.stored(rid)
        response = self.client.call("POST", f"/requisitions/{rid}/{action}", by,
                                    {"reason": "not needed"} if action == "reject" else {})
        if self.refused(response, before, rid, "illegal_transition") is None and rid in self.dangling:
            self.dangling.discard(rid)  # a cancel gives back what the dead dispatch charged
            for who in self.owner[rid]:
                del self.charged[(rid, who)]

    # --- money ---

    @precondition(lambda self: self.owner)
    @rule(data=st.data(), amount=PAISE, part=st.sampled_from([0, 0, 1, 2, 3]),
          method=st.sampled_from(["cash", "upi", "advance"]), reference=REFERENCES)
    def pay(self, data, amount, part, method, reference):
        """`part` n > 0: a payment of 1/n of what is due (all of it, half, a third), as a counter takes it."""
        rid = data.draw(st.sampled_from(self.requisitions()))
        artisan_id, before = data.draw(st.sampled_from(self.owner[rid])), self.stored(rid)
        payable = 0 if self.status(rid) in CLOSED else self.payable(rid, artisan_id)
        due = max(payable - self.paid[(rid, artisan_id)], 0)
        amount = max(due // part, 1) if part and due else amount
        response = self.client.call("POST", f"/requisitions/{rid}/payments", self.token("warehouse", depot="VNS"),
                                    {"amount": format_money(amount), "method": method, "reference": reference,
                                     **self.whose(rid, artisan_id)})
        seen = self.payments.get((artisan_id, reference))
        code = self.refused(response, before, rid, "payment_above_due", "payment_reference_reused",
                            "payment_reference_reversed", "requisition_not_payable")
        if seen is not None:  # the same reference: the same payment, or 409 when its content differs
            same = seen[:3] == (rid, amount, method)  # a reversed one is refused however it is sent
            assert code == ("payment_reference_reversed" if seen[3] else None if same else
                            "payment_reference_reused"), (code, seen, rid, amount, method)
            assert response.status_code == (200 if same and not seen[3] else 409)
            return
        closed = self.status(rid) in CLOSED
        # closed, it takes only what a reversal left to repay on it: nothing else, no advance, no more than that
        expected = (("requisition_not_payable" if not due or method == "advance" else
                     "payment_above_due" if amount > due else None) if closed else
                    "payment_above_due" if method != "advance" and amount > due else None)
        assert code == expected, (code, expected, amount, due, method, self.status(rid))
        if code is None:
            assert response.status_code == 201
            self.payments[(artisan_id, reference)] = (rid, amount, method, False)
            self.paid_in(rid, artisan_id, amount)

    @precondition(lambda self: self.payments)
    @rule(data=st.data())
    def reverse(self, data):
        (artisan_id, reference), (rid, amount, method, reversed_) = data.draw(
            st.sampled_from(sorted(self.payments.items())))
        response = self.client.call("POST", f"/requisitions/{rid}/payments/{payment_id(reference)}/reversal",
                                    self.client.admin(), {"reason": "typed wrong", **self.whose(rid, artisan_id)})
        assert response.status_code == (200 if reversed_ else 201), body(response)
        assert body(response)["reversed"] is True
        if not reversed_:
            self.payments[(artisan_id, reference)] = (rid, amount, method, True)
            self.paid_in(rid, artisan_id, -amount)

    @rule(artisan_id=ARTISANS, amount=PAISE, part=st.sampled_from([0, 1, 2]),
          reference=st.sampled_from(["RF-1", "RF-2"]), reason=st.sampled_from(["request cancelled", "leaving the scheme"]))
    def refund(self, artisan_id, amount, part, reference, reason):
        """`part` n > 0: 1/n of what is to the artisan's credit (all of it, half), as an admin hands it back."""
        before, credit = self.stored(), max(-self.balance(artisan_id), 0)
        amount = max(credit // part, 1) if part and credit else amount
        response = self.client.call("POST", f"/artisans/{artisan_id}/refunds", self.client.admin(),
                                    {"amount": format_money(amount), "method": "cash", "reference": reference,
                                     "reason": reason})
        code = self.refused(response, before, None, "refund_above_credit", "refund_reference_reused")
        seen = self.refunds.get((artisan_id, reference))
        if seen is not None:
            assert code == (None if seen == (amount, reason) else "refund_reference_reused"), (code, seen)
            return
        assert code == ("refund_above_credit" if amount > credit else None), (code, amount, credit)
        if code is None:
            self.refunds[(artisan_id, reference)] = (amount, reason)
            self.cash[artisan_id] -= amount
            drawn = {rid: parse_money(value) for rid, value in body(response)["requisitions"].items()}
            assert sum(drawn.values()) == amount and set(drawn) <= set(self.owner)
            for rid, part in drawn.items():
                share = (rid, artisan_id)
                assert 0 < part <= self.paid[share] - self.charged.get(share, 0), (rid, part, self.paid[share])
                self.paid[share] -= part

    @rule(artisan_id=ARTISANS, limit=st.sampled_from([0, 3_000_00, 20_000_00]), days=st.sampled_from([0, 30]),
          advance=st.sampled_from([0, 2_500, 10_000]))
    def set_terms(self, artisan_id, limit, days, advance):
        self.client.call("PUT", "/credit-terms", self.client.admin(),
                         {"artisan_id": artisan_id, "credit_limit": format_money(limit), "credit_days": days,
                          "advance_percent": f"{advance // 100}"}, status=200)
        self.terms[artisan_id] = (limit, days, advance)

    # --- what must hold after every step ---

    @invariant()
    def accounts_agree_with_the_model(self):
        if not hasattr(self, "db"):
            return
        for artisan_id in self.cash:
            account = self.client.call("GET", f"/artisans/{artisan_id}/account", self.client.admin(),
                                       status=200).get_json()
            assert parse_money(account["balance_due"]) == self.balance(artisan_id), (artisan_id, account)
            assert parse_money(account["credit"]) == max(-self.balance(artisan_id), 0)
        for rid, members in self.owner.items():
            shown = self.client.get(rid, self.client.admin())
            assert parse_money(shown["paid"]) == sum(self.paid[(rid, who)] for who in members), (rid, shown["paid"])
            for who in members:  # and what each account says is paid on the share
                kept = (self.db.accounts.find_one({"_id": who}, {"paid": 1}) or {}).get("paid", {}).get(rid, 0)
                assert kept == self.paid[(rid, who)], (rid, who, kept, self.paid[(rid, who)])

    @invariant()
    def reconcile_finds_nothing(self):
        if not hasattr(self, "db"):
            return
        # a dispatch that died after charging is reported (and its subsidy, in the claims the accounts give) until its
        # retry, a cancel or the next reading of the account after monthly.GRACE settles it; nothing else may be
        waiting = {f"requisition {rid} (reserved) is charged but was never handed over" for rid in self.dangling}
        problems = [p for p in check(facts_of({"requests": self.db})).problems if "outbox" not in p]
        assert waiting <= set(problems), (problems, waiting)
        assert [p for p in problems if p not in waiting and not (self.dangling and p.startswith("subsidy claims"))] \
            == []


MoneyMachine.TestCase.settings = settings(max_examples=int(os.environ.get("RAWBANK_MONEY_EXAMPLES", "60")),
                                          stateful_step_count=int(os.environ.get("RAWBANK_MONEY_STEPS", "40")),
                                          deadline=None)
test_money_machine = MoneyMachine.TestCase
