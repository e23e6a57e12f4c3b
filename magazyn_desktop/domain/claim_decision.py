"""Deciding a claim: the choices of Allegro's ClaimStatusChangeRequest in a packer's words, the checks a decision
passes before it is stored, and an issue's state in words.

The words are a plain Polish/English table, like launch_texts: the domain has no Qt, and the command line and the
window both show them. Amounts are Decimals; Allegro takes them as strings with two decimals ("25.50").
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from .limits import ISSUE_TEXT_LIMIT
from .reply_block import CLAIM_ACCEPTED, CLAIM_REJECTED, DISPUTE_CLOSED

CLAIM_SUBMITTED = "CLAIM_SUBMITTED"  # the only state in which a claim takes a decision
DISPUTE_ONGOING = "DISPUTE_ONGOING"
DISPUTE_UNRESOLVED = "DISPUTE_UNRESOLVED"


class DecisionChoice(str, enum.Enum):
    """ClaimStatusChangeRequest.status, in the spec's order."""

    ACCEPTED_REPAIR = "ACCEPTED_REPAIR"
    ACCEPTED_REFUND = "ACCEPTED_REFUND"
    ACCEPTED_EXCHANGE = "ACCEPTED_EXCHANGE"
    ACCEPTED_PARTIAL_REFUND = "ACCEPTED_PARTIAL_REFUND"
    REJECTED_ADDITIONAL_REQUIREMENTS_NOT_COMPLETED = "REJECTED_ADDITIONAL_REQUIREMENTS_NOT_COMPLETED"
    REJECTED_PRODUCT_NOT_RETURNED = "REJECTED_PRODUCT_NOT_RETURNED"
    REJECTED_PRODUCT_DAMAGED_BY_USER = "REJECTED_PRODUCT_DAMAGED_BY_USER"
    REJECTED_PRODUCT_CONFORMS_TO_CONTRACT = "REJECTED_PRODUCT_CONFORMS_TO_CONTRACT"
    REJECTED_MINOR_DEFECT = "REJECTED_MINOR_DEFECT"
    REJECTED_OTHER = "REJECTED_OTHER"
    REJECTED_CLAIM_WITHDRAWN_BY_BUYER = "REJECTED_CLAIM_WITHDRAWN_BY_BUYER"

    @property
    def accepts(self) -> bool:
        return self.value.startswith("ACCEPTED_")

    @property
    def needs_amount(self) -> bool:
        return self is DecisionChoice.ACCEPTED_PARTIAL_REFUND

    @property
    def issue_status(self) -> str:
        """The PostPurchaseIssueStatus the claim has once Allegro applied this choice."""
        return CLAIM_ACCEPTED if self.accepts else CLAIM_REJECTED


ACCEPTING_CHOICES: tuple[DecisionChoice, ...] = tuple(c for c in DecisionChoice if c.accepts)
REJECTING_CHOICES: tuple[DecisionChoice, ...] = tuple(c for c in DecisionChoice if not c.accepts)


@dataclass(frozen=True)
class Words:
    pl: str
    en: str

    def in_language(self, language: str) -> str:
        return self.en if language == "en" else self.pl


_CHOICE_WORDS: Mapping[DecisionChoice, Words] = MappingProxyType({
    DecisionChoice.ACCEPTED_REPAIR: Words("Uznaję: naprawa produktu", "Accept: repair the product"),
    DecisionChoice.ACCEPTED_REFUND: Words("Uznaję: zwrot pieniędzy", "Accept: refund the money"),
    DecisionChoice.ACCEPTED_EXCHANGE: Words("Uznaję: wymiana na nowy", "Accept: exchange it for a new one"),
    DecisionChoice.ACCEPTED_PARTIAL_REFUND: Words("Uznaję: zwrot części ceny (podaj kwotę)",
                                                  "Accept: refund part of the price (give the amount)"),
    DecisionChoice.REJECTED_ADDITIONAL_REQUIREMENTS_NOT_COMPLETED: Words(
        "Odrzucam: kupujący nie dosłał tego, o co prosiliśmy", "Reject: the buyer did not send what we asked for"),
    DecisionChoice.REJECTED_PRODUCT_NOT_RETURNED: Words("Odrzucam: produkt do nas nie wrócił",
                                                        "Reject: the product was not sent back to us"),
    DecisionChoice.REJECTED_PRODUCT_DAMAGED_BY_USER: Words("Odrzucam: produkt uszkodził kupujący",
                                                           "Reject: the buyer damaged the product"),
    DecisionChoice.REJECTED_PRODUCT_CONFORMS_TO_CONTRACT: Words(
        "Odrzucam: produkt jest sprawny i zgodny z ofertą", "Reject: the product works and is as the offer says"),
    DecisionChoice.REJECTED_MINOR_DEFECT: Words("Odrzucam: wada jest nieistotna", "Reject: the defect is minor"),
    DecisionChoice.REJECTED_OTHER: Words("Odrzucam: inny powód (opisz go w wiadomości)",
                                         "Reject: another reason (explain it in the message)"),
    DecisionChoice.REJECTED_CLAIM_WITHDRAWN_BY_BUYER: Words("Zamykam: kupujący wycofał reklamację",
                                                            "Close: the buyer withdrew the claim"),
})

# Why a claim was rejected, as the end of "odrzucona – ..." in its state.
_REJECTION_WORDS: Mapping[DecisionChoice, Words] = MappingProxyType({
    DecisionChoice.REJECTED_ADDITIONAL_REQUIREMENTS_NOT_COMPLETED: Words("brak tego, o co prosiliśmy",
                                                                         "what we asked for was not sent"),
    DecisionChoice.REJECTED_PRODUCT_NOT_RETURNED: Words("produkt nie wrócił", "the product was not sent back"),
    DecisionChoice.REJECTED_PRODUCT_DAMAGED_BY_USER: Words("uszkodzenie z winy kupującego", "damaged by the buyer"),
    DecisionChoice.REJECTED_PRODUCT_CONFORMS_TO_CONTRACT: Words("produkt zgodny z umową",
                                                                "the product is as the contract says"),
    DecisionChoice.REJECTED_MINOR_DEFECT: Words("wada nieistotna", "a minor defect"),
    DecisionChoice.REJECTED_OTHER: Words("inny powód", "another reason"),
})


def choice_words(choice: DecisionChoice, language: str = "pl") -> str:
    return _CHOICE_WORDS[choice].in_language(language)


# -- money -------------------------------------------------------------------------------------------------------

_CENT = Decimal("0.01")
_AMOUNT_SHAPE = re.compile(r"[+-]?\d+(\.\d+)?")
_SPACES = re.compile(r"[\s\u00a0\u202f]")  # "1 200,50" as people write it, with plain or non-breaking spaces


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str  # ISO 4217, upper case

    @property
    def amount_text(self) -> str:
        """The amount as Allegro's Price takes it: "25.50"."""
        return f"{self.amount.quantize(_CENT):f}"

    def words(self, language: str = "pl") -> str:
        if language == "en":
            return f"{self.currency} {self.amount_text}"
        number = self.amount_text.replace(".", ",")
        return f"{number} zł" if self.currency == "PLN" else f"{number} {self.currency}"


def _amount(text: str) -> Decimal | None:
    """The amount written as people write it ("25,50", "1 200.5"), or None when it is no plain number."""
    cleaned = _SPACES.sub("", text).replace(",", ".")
    if not _AMOUNT_SHAPE.fullmatch(cleaned):
        return None  # also NaN, Infinity and exponents, which Decimal would take
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


# -- refusals ----------------------------------------------------------------------------------------------------


class Refusal(str, enum.Enum):
    MESSAGE_MISSING = "MESSAGE_MISSING"
    MESSAGE_TOO_LONG = "MESSAGE_TOO_LONG"
    AMOUNT_MISSING = "AMOUNT_MISSING"
    AMOUNT_NOT_A_NUMBER = "AMOUNT_NOT_A_NUMBER"
    AMOUNT_NOT_POSITIVE = "AMOUNT_NOT_POSITIVE"
    AMOUNT_TOO_PRECISE = "AMOUNT_TOO_PRECISE"
    AMOUNT_OVER_ORDER_TOTAL = "AMOUNT_OVER_ORDER_TOTAL"
    OTHER_CURRENCY = "OTHER_CURRENCY"
    ORDER_AMOUNT_UNKNOWN = "ORDER_AMOUNT_UNKNOWN"
    AMOUNT_NOT_ASKED = "AMOUNT_NOT_ASKED"  # an amount given with a choice other than the partial refund
    NOT_A_CLAIM = "NOT_A_CLAIM"  # a discussion, a purchase problem, a thread
    ALREADY_DECIDED = "ALREADY_DECIDED"
    DECISION_EXISTS = "DECISION_EXISTS"  # one is queued, being sent or sent already


_REFUSAL_WORDS: Mapping[Refusal, Words] = MappingProxyType({
    Refusal.MESSAGE_MISSING: Words(
        "Napisz wiadomość do kupującego: Allegro nie przyjmie decyzji bez uzasadnienia.",
        "Write a message to the buyer: Allegro does not take a decision without one."),
    Refusal.MESSAGE_TOO_LONG: Words(
        "Wiadomość ma {length} znaków, a Allegro przyjmuje najwyżej {limit}. Skróć ją.",
        "The message has {length} characters; Allegro takes at most {limit}. Shorten it."),
    Refusal.AMOUNT_MISSING: Words("Podaj kwotę, którą zwracasz kupującemu.",
                                  "Give the amount refunded to the buyer."),
    Refusal.AMOUNT_NOT_A_NUMBER: Words("„{text}” to nie jest kwota. Wpisz ją na przykład tak: 25,50.",
                                       "\"{text}\" is not an amount. Write it like this: 25.50."),
    Refusal.AMOUNT_NOT_POSITIVE: Words("Kwota zwrotu musi być większa od zera.",
                                       "The refund must be more than zero."),
    Refusal.AMOUNT_TOO_PRECISE: Words("Kwota może mieć najwyżej dwie cyfry po przecinku (grosze).",
                                      "The amount may have at most two decimal places."),
    Refusal.AMOUNT_OVER_ORDER_TOTAL: Words("Zwrot {amount} to więcej, niż kosztowało zamówienie ({total}).",
                                           "A refund of {amount} is more than the order cost ({total})."),
    Refusal.OTHER_CURRENCY: Words(
        "Zamówienie zapłacono w {order_currency}, więc i zwrot musi być w {order_currency}, nie w {currency}.",
        "The order was paid in {order_currency}, so the refund must be in {order_currency}, not {currency}."),
    Refusal.ORDER_AMOUNT_UNKNOWN: Words(
        "Nie wiadomo jeszcze, ile kosztowało zamówienie tej reklamacji. Otwórz zamówienie, żeby się pobrało, "
        "i spróbuj ponownie.",
        "The cost of this claim's order is not known yet. Open the order so that it is fetched, and try again."),
    Refusal.AMOUNT_NOT_ASKED: Words("Kwotę podaje się tylko przy zwrocie części ceny.",
                                    "An amount goes only with a refund of part of the price."),
    Refusal.NOT_A_CLAIM: Words("Decyzję wysyła się tylko w reklamacji, a to nie jest reklamacja.",
                               "Only a claim takes a decision, and this is not a claim."),
    Refusal.ALREADY_DECIDED: Words("Ta reklamacja jest już rozpatrzona ({state}).",
                                   "This claim is decided already ({state})."),
    Refusal.DECISION_EXISTS: Words("Decyzja w tej reklamacji jest już zapisana do wysłania albo wysłana.",
                                   "A decision on this claim is queued or sent already."),
})


class DecisionRefused(ValueError):
    """A decision that is not stored, with the reason in words; `details` fill the words' gaps."""

    def __init__(self, refusal: Refusal, **details: object) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal
        self.details = details

    def words(self, language: str = "pl") -> str:
        values = {
            key: value.words(language) if isinstance(value, Money)
            else describe_issue_state(value, language) if isinstance(value, IssueStateView)
            else value
            for key, value in self.details.items()
        }
        return _REFUSAL_WORDS[self.refusal].in_language(language).format(**values)


# -- the decision ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimDecision:
    choice: DecisionChoice
    message: str
    partial_refund: Money | None = None


def checked_decision(
    choice: DecisionChoice,
    message: str,
    *,
    amount: str | None = None,
    currency: str | None = None,
    order_total: str | None,
    order_currency: str | None,
) -> ClaimDecision:
    """The decision as it may be stored, or DecisionRefused saying why not. `amount` as the user typed it; the
    currency is the order's unless given. The order's total is what a partial refund may reach at most."""
    if not message.strip():
        raise DecisionRefused(Refusal.MESSAGE_MISSING)
    if len(message) > ISSUE_TEXT_LIMIT:
        raise DecisionRefused(Refusal.MESSAGE_TOO_LONG, length=len(message), limit=ISSUE_TEXT_LIMIT)
    given = (amount or "").strip()
    if not choice.needs_amount:
        if given:
            raise DecisionRefused(Refusal.AMOUNT_NOT_ASKED)
        return ClaimDecision(choice, message)
    if not given:
        raise DecisionRefused(Refusal.AMOUNT_MISSING)
    value = _amount(given)
    if value is None:
        raise DecisionRefused(Refusal.AMOUNT_NOT_A_NUMBER, text=given)
    if value <= 0:
        raise DecisionRefused(Refusal.AMOUNT_NOT_POSITIVE)
    if value != value.quantize(_CENT):
        raise DecisionRefused(Refusal.AMOUNT_TOO_PRECISE)
    total = _amount(order_total) if order_total else None
    if total is None or not order_currency:
        raise DecisionRefused(Refusal.ORDER_AMOUNT_UNKNOWN)
    order_code = order_currency.strip().upper()
    code = (currency or order_code).strip().upper()
    if code != order_code:
        raise DecisionRefused(Refusal.OTHER_CURRENCY, currency=code, order_currency=order_code)
    refund = Money(value.quantize(_CENT), code)
    if value > total:
        raise DecisionRefused(Refusal.AMOUNT_OVER_ORDER_TOTAL, amount=refund, total=Money(total, order_code))
    return ClaimDecision(choice, message, refund)


# -- the issue's state -------------------------------------------------------------------------------------------


class IssueState(str, enum.Enum):
    WAITING_FOR_DECISION = "WAITING_FOR_DECISION"
    DECISION_BEING_SENT = "DECISION_BEING_SENT"  # a decision of this app is queued, being sent or being checked
    ACCEPTED = "ACCEPTED"  # how is not known here (decided on Allegro's site)
    ACCEPTED_REPAIR = "ACCEPTED_REPAIR"
    ACCEPTED_REFUND = "ACCEPTED_REFUND"
    ACCEPTED_EXCHANGE = "ACCEPTED_EXCHANGE"
    ACCEPTED_PARTIAL_REFUND = "ACCEPTED_PARTIAL_REFUND"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"
    DISPUTE_ONGOING = "DISPUTE_ONGOING"
    DISPUTE_UNRESOLVED = "DISPUTE_UNRESOLVED"
    DISPUTE_CLOSED = "DISPUTE_CLOSED"
    UNKNOWN = "UNKNOWN"  # a status this version does not know: named as Allegro sent it


_STATE_WORDS: Mapping[IssueState, Words] = MappingProxyType({
    IssueState.WAITING_FOR_DECISION: Words("czeka na decyzję", "waiting for a decision"),
    IssueState.DECISION_BEING_SENT: Words("decyzja jest wysyłana", "the decision is being sent"),
    IssueState.ACCEPTED: Words("uznana", "accepted"),
    IssueState.ACCEPTED_REPAIR: Words("uznana – naprawa", "accepted with a repair"),
    IssueState.ACCEPTED_REFUND: Words("uznana – zwrot pieniędzy", "accepted with a refund"),
    IssueState.ACCEPTED_EXCHANGE: Words("uznana – wymiana", "accepted with an exchange"),
    IssueState.ACCEPTED_PARTIAL_REFUND: Words("uznana – częściowy zwrot", "accepted with a partial refund"),
    IssueState.REJECTED: Words("odrzucona", "rejected"),
    IssueState.WITHDRAWN: Words("wycofana przez kupującego", "withdrawn by the buyer"),
    IssueState.DISPUTE_ONGOING: Words("dyskusja trwa", "discussion ongoing"),
    IssueState.DISPUTE_UNRESOLVED: Words("dyskusja nierozstrzygnięta", "discussion unresolved"),
    IssueState.DISPUTE_CLOSED: Words("dyskusja zamknięta", "discussion closed"),
    IssueState.UNKNOWN: Words("stan: {status}", "state: {status}"),
})

_ACCEPTED_STATES: Mapping[DecisionChoice, IssueState] = MappingProxyType({
    DecisionChoice.ACCEPTED_REPAIR: IssueState.ACCEPTED_REPAIR,
    DecisionChoice.ACCEPTED_REFUND: IssueState.ACCEPTED_REFUND,
    DecisionChoice.ACCEPTED_EXCHANGE: IssueState.ACCEPTED_EXCHANGE,
    DecisionChoice.ACCEPTED_PARTIAL_REFUND: IssueState.ACCEPTED_PARTIAL_REFUND,
})
_PLAIN_STATES: Mapping[str, IssueState] = MappingProxyType({
    CLAIM_SUBMITTED: IssueState.WAITING_FOR_DECISION,
    CLAIM_ACCEPTED: IssueState.ACCEPTED,
    CLAIM_REJECTED: IssueState.REJECTED,
    DISPUTE_ONGOING: IssueState.DISPUTE_ONGOING,
    DISPUTE_UNRESOLVED: IssueState.DISPUTE_UNRESOLVED,
    DISPUTE_CLOSED: IssueState.DISPUTE_CLOSED,
})


@dataclass(frozen=True)
class IssueStateView:
    state: IssueState
    status: str | None  # PostPurchaseIssueStatus as Allegro sent it
    rejection: DecisionChoice | None = None  # why, when a rejection of this app's is known
    refund: Money | None = field(default=None)


def issue_state(status: str | None, *, decided: DecisionChoice | None = None, refund: Money | None = None,
                decision_pending: bool = False) -> IssueStateView:
    """The state from Allegro's status and what this app knows: the decision it sent (`decided`, with its refund),
    or one still on its way (`decision_pending`). Allegro's status wins where the two disagree."""
    if status == CLAIM_SUBMITTED and decision_pending:
        return IssueStateView(IssueState.DECISION_BEING_SENT, status)
    if status == CLAIM_ACCEPTED and decided is not None and decided.accepts:
        return IssueStateView(_ACCEPTED_STATES[decided], status,
                              refund=refund if decided.needs_amount else None)
    if status == CLAIM_REJECTED and decided is not None and not decided.accepts:
        if decided is DecisionChoice.REJECTED_CLAIM_WITHDRAWN_BY_BUYER:
            return IssueStateView(IssueState.WITHDRAWN, status)
        return IssueStateView(IssueState.REJECTED, status, rejection=decided)
    return IssueStateView(_PLAIN_STATES.get(status or "", IssueState.UNKNOWN), status)


def describe_issue_state(view: IssueStateView, language: str = "pl") -> str:
    words = _STATE_WORDS[view.state].in_language(language).format(status=view.status or "?")
    if view.rejection is not None and view.rejection in _REJECTION_WORDS:
        return f"{words} – {_REJECTION_WORDS[view.rejection].in_language(language)}"
    if view.refund is not None:
        return f"{words} of {view.refund.words(language)}" if language == "en" else f"{words} {view.refund.words(language)}"
    return words


def decided_status(status: str | None) -> bool:
    """Whether Allegro's status says the claim no longer takes a decision."""
    return status in (CLAIM_ACCEPTED, CLAIM_REJECTED)
