"""The content model: one pydantic model per part of an entry, the single source of truth.

Dutch keys (aliases) in files and forms, English attribute names in code. Limits, per-kind
rules and patterns come from the rule table (:mod:`wijknet.content.rules`); the models are
declared from it. Rules that need the city (taxonomy ids, bounding box, phone region) or
"today" read them from the validation context, a :class:`ValidationContext`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

import email_validator
import phonenumbers
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from wijknet.content.rules import (
    CHARACTER_CODE,
    LANGUAGE_CODES,
    LIMITS,
    ONE_OF_REQUIRED,
    PATTERNS,
    QUESTION,
    QUESTION_OPEN_DAYS,
    TOGETHER,
    kind_breaches,
    kinds_requiring,
    refused_character,
)
from wijknet.slugs import SLUG_PATTERN
from wijknet.taxonomy import VOCABULARY_OF_KEY

if TYPE_CHECKING:
    from wijknet.settings import SiteSettings
    from wijknet.taxonomy import Taxonomy

KINDS_NEEDING_CONTACT: tuple[str, ...] = kinds_requiring("contact")
MAX_DESCRIPTION_CHARS: int = LIMITS["beschrijving"].max_length or 0
ISO_639_1 = LANGUAGE_CODES


@dataclass(frozen=True)
class ValidationContext:
    """What validation needs besides the data: the city and the date of "today"."""

    taxonomy: "Taxonomy"
    settings: "SiteSettings"
    today: dt.date


def _context(info: ValidationInfo) -> ValidationContext | None:
    context = info.context
    if isinstance(context, ValidationContext):
        return context
    if isinstance(context, dict):
        return context.get("wijknet")
    return None


def _error(code: str, message: str, **params: Any) -> PydanticCustomError:
    return PydanticCustomError(code, message, params)


# --- reusable field types ---------------------------------------------------------------


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise _error("one_line", "must be one line")
    return value


def _collapse_spaces(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"[ \t]+", " ", value.strip())
    return value


def _limited(key: str, **extra: Any) -> Any:
    """The pydantic constraints of ``key`` in the rule table."""
    return Field(**LIMITS[key].field_kwargs(), **extra)


def _text(key: str):
    """One line of text, with the limits of ``key``."""
    return Annotated[str, _limited(key, strict=True), BeforeValidator(_collapse_spaces), AfterValidator(_one_line)]


Title = _text("titel")
Summary = _text("samenvatting")
Organisation = _text("organisatie")
Hours = _text("tijden")
Cost = _text("kosten")
Reason = _text("uitgelicht.reden")
ContactName = _text("contact.naam")
PlaceName = _text("locatie.naam")


def _range(key: str) -> str:
    return f"{LIMITS[key].low} tot {LIMITS[key].high}"


def _dutch_number(number: int | None) -> str:
    return f"{number:,}".replace(",", ".")


def _parse_date(value: Any) -> Any:
    if isinstance(value, str) and not PATTERNS["date"].match(value.strip()):
        raise _error(PATTERNS["date"].code, "not a date in the form YYYY-MM-DD", value=value)
    return value.strip() if isinstance(value, str) else value


Day = Annotated[dt.date, BeforeValidator(_parse_date)]


def _parse_moment(value: Any) -> dt.date | dt.datetime:
    """A date, or a date with a time (``2027-01-15 19:30``); naive times are local."""
    if isinstance(value, dt.datetime) or isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise _error("moment_format", "not a date or date-time", value=value)
    match = PATTERNS["moment"].match(value.strip())
    if not match:
        raise _error("moment_format", "not a date or date-time", value=value)
    try:
        day = dt.date.fromisoformat(match["date"])
        if match["hour"] is None:
            return day
        return dt.datetime(day.year, day.month, day.day, int(match["hour"]), int(match["minute"]), int(match["second"] or 0))
    except ValueError:
        raise _error("moment_format", "not a date or date-time", value=value) from None


Moment = Annotated[dt.date | dt.datetime, BeforeValidator(_parse_moment)]


def _id_list(value: Any) -> Any:
    if isinstance(value, str):  # `themas: geld` is a common slip; accept one id
        return [value]
    return value


def _unique(values: list[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value in seen:
            raise _error("duplicate_item", "appears twice", value=value)
        seen.append(value)
    return values


def _language(code: str) -> str:
    if code not in LANGUAGE_CODES:
        raise _error("language", "not an ISO 639-1 code", value=code)
    return code


IdList = Annotated[
    list[Annotated[str, Field(strict=True), AfterValidator(_language)]],
    BeforeValidator(_id_list),
    AfterValidator(_unique),
    _limited("talen"),
]


def _term_checker(vocabulary: str):
    def check(value: str, info: ValidationInfo) -> str:
        context = _context(info)
        if context is None:
            return value
        vocab = context.taxonomy.vocabulary(vocabulary)
        if value not in vocab:
            suggestions = vocab.suggest(value)
            raise _error(
                f"unknown_{vocabulary}",
                "unknown id",
                value=value,
                suggestions=", ".join(f'"{s}"' for s in suggestions),
            )
        return value

    return check


def _term_list(key: str):
    """A list of ids from the vocabulary of ``key``, with the limits of ``key``."""
    item = Annotated[str, Field(strict=True), AfterValidator(_term_checker(VOCABULARY_OF_KEY[key]))]
    return Annotated[list[item], BeforeValidator(_id_list), AfterValidator(_unique), _limited(key)]


KindId = Annotated[str, Field(strict=True), AfterValidator(_term_checker(VOCABULARY_OF_KEY["soort"]))]
ThemeIds = _term_list("themas")
AudienceIds = _term_list("doelgroepen")
AreaIds = _term_list("werkgebied")


# --- the parts of an entry --------------------------------------------------------------


class Part(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, str_strip_whitespace=True, validate_default=False
    )

    attribute_of: ClassVar[dict[str, str]] = {}
    """Content key (alias) → attribute name."""

    @field_validator("*", mode="before")
    @classmethod
    def _allowed_characters(cls, value: Any) -> Any:
        """The character rule of every field (and every item of a list), before any other check."""
        items = enumerate(value) if isinstance(value, list) else ((None, value),)
        for index, text in items:
            refused = refused_character(text) if isinstance(text, str) else None
            if refused is not None:
                at = {} if index is None else {"loc_key": index}  # a list item: its own line
                raise _error(CHARACTER_CODE, "holds a character that is not allowed", **refused.params, **at)
        return value

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.attribute_of = {info.alias or name: name for name, info in cls.model_fields.items()}

    def value_of(self, key: str) -> Any:
        """The value stored under the content key ``key`` (the alias), or None."""
        name = self.attribute_of.get(key)
        return getattr(self, name) if name else None


def _phone_number(value: Any, info: ValidationInfo) -> Any:
    """A phone number in the international form, read in the city's region."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise _error("phone", "not a valid phone number", value=value)
    context = _context(info)
    region = context.settings.phone_region if context else "NL"
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise _error("phone", "not a valid phone number", value=value) from None
    if not phonenumbers.is_valid_number(number):
        raise _error("phone", "not a valid phone number", value=value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _postcode(value: Any) -> Any:
    """A Dutch postcode as ``1234 AB``."""
    if value is None:
        return None
    match = PATTERNS["postcode"].match(str(value))
    if not match:
        raise _error(PATTERNS["postcode"].code, "not a Dutch postcode", value=value)
    return f"{match['digits']} {match['letters'].upper()}"


class Contact(Part):
    """How people reach the initiative. At least one of e-mail, phone or website."""

    name: ContactName | None = Field(default=None, alias="naam", description="Naam van de contactpersoon.")
    email: Annotated[str, _limited("contact.email", strict=True)] | None = Field(
        default=None, alias="email", description="E-mailadres, bijvoorbeeld info@buurthuis.nl."
    )
    phone: Annotated[str, BeforeValidator(_phone_number), _limited("contact.telefoon")] | None = Field(
        default=None, alias="telefoon", description="Telefoonnummer, bijvoorbeeld 020 123 4567."
    )
    website: Annotated[str, _limited("contact.website", strict=True)] | None = Field(
        default=None, alias="website", description="Website, beginnend met https:// of http://."
    )

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return email_validator.validate_email(value, check_deliverability=False).normalized
        except email_validator.EmailNotValidError:
            raise _error("email", "not a valid e-mail address", value=value) from None

    @field_validator("website")
    @classmethod
    def _website(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not PATTERNS["website"].match(value):
            raise _error(PATTERNS["website"].code, "not an http or https address", value=value)
        return value

    @model_validator(mode="after")
    def _reachable(self) -> "Contact":
        rule = ONE_OF_REQUIRED["contact"]
        if not any(self.value_of(key) for key in rule.keys):
            raise _error(rule.code, "needs " + " or ".join(rule.keys))
        return self


class Location(Part):
    """Where it happens."""

    name: PlaceName | None = Field(default=None, alias="naam", description="Naam van de plek, bijvoorbeeld Buurthuis De Meevaart.")
    address: Annotated[str, _limited("locatie.adres", strict=True), AfterValidator(_one_line)] | None = Field(
        default=None, alias="adres", description="Straat en huisnummer."
    )
    postcode: Annotated[str, BeforeValidator(_postcode), _limited("locatie.postcode")] | None = Field(
        default=None, alias="postcode", description="Postcode, bijvoorbeeld 1094 JN."
    )
    lat: Annotated[float, _limited("locatie.lat")] | None = Field(default=None, alias="lat", description="Breedtegraad (WGS84).")
    lon: Annotated[float, _limited("locatie.lon")] | None = Field(default=None, alias="lon", description="Lengtegraad (WGS84).")

    @model_validator(mode="after")
    def _coordinates(self, info: ValidationInfo) -> "Location":
        rule = TOGETHER["locatie"]
        given = [self.value_of(key) is not None for key in rule.keys]
        if any(given) and not all(given):
            raise _error(rule.code, " and ".join(rule.keys) + " go together")
        context = _context(info)
        if context is not None and self.lat is not None and self.lon is not None:
            box = context.settings.bbox
            if not box.contains(self.lat, self.lon):
                raise _error(
                    "outside_city",
                    "outside the city",
                    city=context.settings.city_name,
                    box=f"lat {box.min_lat}-{box.max_lat}, lon {box.min_lon}-{box.max_lon}",
                )
        return self


class When(Part):
    """When an activity takes place."""

    start: Moment = Field(alias="start", description="Begin: datum (2027-01-15) of datum en tijd (2027-01-15 19:30).")
    end: Moment | None = Field(default=None, alias="einde", description="Einde, niet voor het begin.")

    @model_validator(mode="after")
    def _order(self) -> "When":
        if self.end is not None and moment_key(self.end, end=True) < moment_key(self.start):
            raise _error("end_before_start", "ends before it starts")
        return self


def moment_key(value: dt.date | dt.datetime, end: bool = False) -> dt.datetime:
    """A sortable datetime: a bare date starts at 00:00 and ends at 23:59:59."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime.combine(value, dt.time(23, 59, 59) if end else dt.time(0, 0))


class Featured(Part):
    """On the prikbord (featured board) until ``tot``."""

    until: Day = Field(alias="tot", description="Laatste dag op het prikbord.")
    reason: Reason | None = Field(default=None, alias="reden", description="Waarom dit op het prikbord staat.")


Status = Literal["actief", "gepauzeerd", "gestopt"]


class EntryFields(Part):
    """The front matter of one entry, exactly the content format's keys."""

    title: Title = Field(alias="titel", description=f"De naam, kort en duidelijk ({_range('titel')} tekens).")
    kind: KindId = Field(alias="soort", description="Wat voor soort bericht dit is.")
    summary: Summary = Field(
        alias="samenvatting", description=f"Eén of twee zinnen: wat is het en voor wie ({_range('samenvatting')} tekens)."
    )
    themes: ThemeIds = Field(alias="themas", description=f"{_range('themas')} thema's.")
    audiences: AudienceIds = Field(default_factory=list, alias="doelgroepen", description="Voor wie is het?")
    areas: AreaIds = Field(
        alias="werkgebied", description=f"Buurt, wijk of stadsdeel ({_range('werkgebied')}); de hele stad kan ook."
    )
    organisation: Organisation | None = Field(default=None, alias="organisatie", description="De organisatie erachter, als die er is.")
    contact: Contact | None = Field(default=None, alias="contact", description="Hoe mensen contact opnemen.")
    location: Location | None = Field(default=None, alias="locatie", description="Waar het is.")
    when: When | None = Field(default=None, alias="wanneer", description="Alleen voor activiteiten: wanneer het is.")
    hours: Hours | None = Field(default=None, alias="tijden", description="Openingstijden of vaste tijden, bijvoorbeeld: elke donderdag 17.30 - 19.30 uur.")
    cost: Cost | None = Field(default=None, alias="kosten", description="Wat het kost, bijvoorbeeld: gratis.")
    languages: IdList = Field(
        default_factory=list, alias="talen", description="Talen die gesproken worden (taalcodes zoals nl, en, ar)."
    )
    expires: Day | None = Field(default=None, alias="verloopt", description="Alleen voor vragen: tot wanneer de vraag open staat.")
    featured: Featured | None = Field(default=None, alias="uitgelicht", description="Op het prikbord tot een datum.")
    checked: Day = Field(alias="gecontroleerd", description="Wanneer iemand voor het laatst heeft gecontroleerd dat alles klopt.")
    status: Status = Field(default="actief", alias="status", description="actief, gepauzeerd of gestopt.")


    @field_validator("checked")
    @classmethod
    def _not_future(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        context = _context(info)
        if context is not None and value > context.today:
            raise _error("date_in_future", "in the future", value=value.isoformat(), today=context.today.isoformat())
        return value

    @model_validator(mode="after")
    def _per_kind(self) -> "EntryFields":
        breaches = kind_breaches(self.kind, lambda key: self.value_of(key) is not None)
        if breaches:
            first = breaches[0]
            raise _error(first.code, f"{first.key}: per-kind rule of {self.kind}", **first.params, loc_key=first.key)
        return self


def _description(value: Any) -> Any:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _error("string_type", "must be text")
    if len(value) > MAX_DESCRIPTION_CHARS:
        raise _error("description_too_long", "too long", length=len(value), max=MAX_DESCRIPTION_CHARS)
    # a lone CR is a line end in Markdown; left as it is, "\r\r\n" would become a CRLF that
    # the loader reads back as LF, so the written file would not round-trip
    return value.replace("\r\n", "\n").replace("\r", "\n").strip("\n")


class Entry(EntryFields):
    """A validated entry: the front matter plus its slug and Markdown description."""

    slug: str = Field(pattern=SLUG_PATTERN, min_length=3, max_length=80, exclude=True)
    description: Annotated[str, BeforeValidator(_description)] = Field(
        default="",
        alias="beschrijving",
        description=f"Vertel meer: wat gebeurt er, voor wie, hoe doe je mee (Markdown, tot {_dutch_number(MAX_DESCRIPTION_CHARS)} tekens).",
    )

    def front_matter(self) -> dict[str, Any]:
        """The content keys, in the content format's order, without empty values."""
        data = self.model_dump(by_alias=True, exclude_none=True, exclude={"slug", "description"}, mode="json")
        if data.get("status") == "actief":
            data.pop("status")
        for key in ("doelgroepen", "talen"):
            if not data.get(key):
                data.pop(key, None)
        return data

    def question_expires(self) -> dt.date | None:
        """The last open day of a question (``verloopt`` or 90 days after the check)."""
        if self.kind != QUESTION:
            return None
        return self.expires or self.checked + dt.timedelta(days=QUESTION_OPEN_DAYS)


FRONT_MATTER_KEYS: tuple[str, ...] = tuple(
    field.alias or name for name, field in EntryFields.model_fields.items()
)
