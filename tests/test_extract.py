"""Unit tests of the extraction components on short Dutch texts (exact expectations)."""

from __future__ import annotations

from datetime import date

import pytest

from regiograph.extract import REGISTRY, extract
from regiograph.extract.context import name_key
from regiograph.extract.segment import segment
from regiograph.model import Document


def run(text: str, **kw):
    return extract(Document("t.txt", text, **kw))


def orgs(result) -> dict[str, tuple[str, bool]]:
    return {o.name: (o.org_type, o.collaboration) for o in result.organisations}


def members(result) -> set[tuple[str, str | None]]:
    return {(m.member, m.collaboration) for m in result.memberships}


def roles(result) -> set[tuple[str, str, str]]:
    return {(r.person, r.role, r.organisation) for r in result.roles}


# -- segmentation ----------------------------------------------------------------------------
def test_segment_keeps_headline_dateline_list_and_byline_apart():
    text = (
        "Nieuwe samenwerking\n\nDRENTHE - Het Drenthe College groeit. Dat is mooi.\n"
        "• Meer inzet op techniek.\ndoor: Claudia Wijnants-Crama"
    )
    segs = segment(text)
    assert [(s.kind, s.text) for s in segs] == [
        ("headline", "Nieuwe samenwerking"),
        ("dateline", "DRENTHE"),
        ("sentence", "Het Drenthe College groeit."),
        ("sentence", "Dat is mooi."),
        ("list_item", "Meer inzet op techniek."),
        ("byline", "door: Claudia Wijnants-Crama"),
    ]
    assert all(text[s.start : s.end] == s.text for s in segs)


def test_segment_does_not_split_after_initials_or_abbreviations():
    segs = segment("Het gesprek met W. Koolmees ging o.a. over werk. Daarna volgde meer.")
    assert [s.text for s in segs] == [
        "Het gesprek met W. Koolmees ging o.a. over werk.",
        "Daarna volgde meer.",
    ]


# -- organisations ---------------------------------------------------------------------------
def test_coordinated_municipalities_and_provinces_are_expanded():
    result = run(
        "De gemeenten Heerenveen, Opsterland en Weststellingwerf en de provincies "
        "Groningen en Drenthe overleggen."
    )
    assert orgs(result) == {
        "gemeente Heerenveen": ("government", False),
        "gemeente Opsterland": ("government", False),
        "gemeente Weststellingwerf": ("government", False),
        "provincie Groningen": ("government", False),
        "provincie Drenthe": ("government", False),
    }
    assert {p.code for p in result.places} == {"GM0074", "GM0086", "GM0098", "PV20", "PV22"}


def test_gedeputeerde_staten_is_the_province_and_minister_means_the_ministry():
    result = run(
        "Gedeputeerde Staten van Fryslân en de minister van Binnenlandse Zaken spraken af."
    )
    names = set(orgs(result))
    assert "provincie Fryslân" in names
    assert any(n.startswith("Ministerie van Binnenlandse Zaken") for n in names)


def test_generic_groups_are_not_organisations():
    result = run("24 Friese gemeenten, ondernemers en het MBO werken samen met de Universiteit.")
    assert orgs(result) == {}


def test_acronym_definition_and_later_use_resolve_to_one_name():
    result = run(
        "Werkplein Drentsche Aa (WPDA) helpt inwoners. Het WPDA werkt samen met Drenthe College."
    )
    org = next(o for o in result.organisations if o.name == "Werkplein Drentsche Aa")
    assert org.aliases == ("WPDA",)
    assert org.org_type == "government"


def test_former_name_in_brackets_is_an_alias():
    result = run(
        "Het OTP (voorheen Ondernemerstrefpunt) uit Groningen deed onderzoek. OTP is een stichting."
    )
    org = next(o for o in result.organisations if o.name == "OTP")
    assert org.aliases == ("Ondernemerstrefpunt",)
    assert org.org_type == "civil_society"


def test_list_members_next_to_known_organisations_are_promoted_with_the_type_noun():
    result = run(
        "De onderwijsinstellingen NHL Stenden, Noordkaap en Wadwijs tekenen het "
        "Onderwijsakkoord Fryslân."
    )
    found = orgs(result)
    assert found["Noordkaap"] == ("education", False)
    assert found["Wadwijs"] == ("education", False)
    assert found["Onderwijsakkoord Fryslân"][1] is True


def test_head_word_compounds_and_place_tails():
    result = run(
        "In Drenthe doen ziekenhuis Dellewal in Hoogeveen en het Zuiderziekenhuis "
        "in Assen mee met 'Zorg voor het Noorden'."
    )
    found = orgs(result)
    assert found["Dellewal"] == ("healthcare", False)
    assert found["Zuiderziekenhuis"] == ("healthcare", False)
    assert found["Zorg voor het Noorden"][1] is True
    assert members(result) == {
        ("Dellewal", "Zorg voor het Noorden"),
        ("Zuiderziekenhuis", "Zorg voor het Noorden"),
    }
    assert {p.code for p in result.places} == {"PV22", "GM0118", "GM0106"}


# -- people and roles ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Isabelle Diks, wethouder gemeente Leeuwarden vult aan.",
            ("Isabelle Diks", "wethouder", "gemeente Leeuwarden"),
        ),
        (
            "Volgens wethouder Raymond Wanders van de gemeente Emmen is het goed.",
            ("Raymond Wanders", "wethouder", "gemeente Emmen"),
        ),
        (
            "Wethouder Maaike Veeningen (Almere): \u201cDit is mooi.\u201d",
            ("Maaike Veeningen", "wethouder", "gemeente Almere"),
        ),
        (
            "Marc Otto, lid van het College van Bestuur van NHL Stenden, is trots.",
            ("Marc Otto", "lid-college-van-bestuur", "NHL Stenden Hogeschool"),
        ),
        (
            "John van der Vegt is als collegevoorzitter van het ROC van Twente een spil.",
            ("John van der Vegt", "voorzitter-college-van-bestuur", "ROC van Twente"),
        ),
        (
            "De regiodirecteur Silvester Koehoorn van het Drenthe College benadrukt dit.",
            ("Silvester Koehoorn", "directeur", "Drenthe College"),
        ),
    ],
)
def test_role_patterns(text, expected):
    assert expected in roles(run(text))


def test_role_labels_keep_the_words_as_written():
    result = run(
        "Guido Rink, wethouder Economische Zaken gemeente Emmen en voorzitter van "
        "het Bestuurlijk Overleg DTZ, zegt dit."
    )
    labels = {(r.role, r.label, r.organisation) for r in result.roles}
    assert ("wethouder", "wethouder Economische Zaken", "gemeente Emmen") in labels
    assert ("voorzitter", "voorzitter", "Bestuurlijk Overleg DTZ") in labels


def test_a_role_before_the_next_person_is_not_taken_by_the_first():
    result = run(
        "Bestuursvoorzitter Jouke de Vries van de RUG en collega-voorzitter Erica "
        "Schaper van NHL Stenden zien kansen."
    )
    assert roles(result) == {
        ("Jouke de Vries", "voorzitter-college-van-bestuur", "Rijksuniversiteit Groningen"),
        ("Erica Schaper", "voorzitter", "NHL Stenden Hogeschool"),
    }


def test_initials_and_bylines_are_persons():
    result = run(
        "Het convenant is getekend door de heer H. Venema.\n\ndoor: Claudia Wijnants-Crama"
    )
    assert {p.name for p in result.persons} == {"H. Venema", "Claudia Wijnants-Crama"}


# -- collaborations --------------------------------------------------------------------------
def test_co_mention_without_a_cue_is_not_a_tie():
    result = run("NHL Stenden en Drenthe College staan in Emmen.")
    assert result.memberships == ()


def test_unnamed_partnership_from_a_cue():
    result = run(
        "Drenthe College en Werkplein Drentsche Aa hebben besloten hun samenwerking "
        "voort te zetten."
    )
    assert members(result) == {("Drenthe College", None), ("Werkplein Drentsche Aa", None)}


def test_named_collaboration_from_an_anaphor():
    result = run(
        "Het startsein werd gegeven voor Toptechniek in Bedrijf in Drenthe. Het project "
        "wordt gerealiseerd in nauwe samenwerking tussen Alfa-college en Drenthe College."
    )
    # the place at the end of a programme name is a place, not part of the name
    assert members(result) == {
        ("Alfa-college", "Toptechniek in Bedrijf"),
        ("Drenthe College", "Toptechniek in Bedrijf"),
    }


def test_agreement_is_preferred_over_a_regional_body_as_the_collaboration():
    result = run("Regio Almere-Lelystad-Flevoland tekent Regio Deal Nieuw Land met het Rijk")
    assert members(result) == {
        ("Regio Almere-Lelystad-Flevoland", "Regio Deal Nieuw Land"),
        ("Rijksoverheid", "Regio Deal Nieuw Land"),
    }
    assert {p.code for p in result.places} == {"GM0034", "GM0995", "PV24"}


def test_funders_are_not_members():
    result = run(
        "De provincie Groningen ondersteunt de samenwerking van IBM en de "
        "Hanzehogeschool Groningen."
    )
    assert ("provincie Groningen", None) not in members(result)


# -- places, dates, sectors ------------------------------------------------------------------
def test_groningen_is_the_province_in_a_list_of_provinces_and_the_city_otherwise():
    result = run(
        "Het landsdeel omvat Groningen, Fryslân en Drenthe.\n\n"
        "De centrumgemeentes (Emmen, Groningen en Leeuwarden) doen mee."
    )
    assert [p.code for p in result.places] == ["PV20", "PV21", "PV22", "GM0114", "GM0014", "GM0080"]


def test_place_inside_an_organisation_name_is_not_a_mention_but_a_town_is():
    result = run("De Rijksuniversiteit Groningen opent een vestiging in Drachten.")
    assert [p.code for p in result.places] == ["GM0090"]


def test_signing_date_and_since_year():
    result = run(
        "Maandag 13 maart 2023 ondertekenden NHL Stenden en Firda het Onderwijsakkoord Fryslân."
    )
    assert [(d.collaboration, d.start) for d in result.dates] == [
        ("Onderwijsakkoord Fryslân", date(2023, 3, 13))
    ]


def test_sectors_of_a_collaboration_and_of_a_typed_company():
    result = run(
        "Philips en NHL Stenden werken samen in de Alliantie van Sneek op het gebied "
        "van onderwijs, zorg en innovatieve maakindustrie. Het chemiebedrijf Nouryon "
        "doet niet mee."
    )
    assert {"onderwijs", "zorg", "techniek-en-maakindustrie"} <= set(
        result.sectors["Alliantie van Sneek"]
    )
    assert "chemie" in result.sectors["Nouryon"]


def test_document_date_from_an_early_line():
    result = run("Friese partijen werken samen\n\n21 november 2016\n\nTekst volgt.")
    assert result.document.date == date(2016, 11, 21)


def test_unknown_component_is_a_usage_error():
    from regiograph.errors import UsageError

    with pytest.raises(UsageError, match="unknown extraction component"):
        extract(Document("t.txt", "x"), pipeline=["segment", "nope"])


def test_registry_holds_every_component_in_order():
    assert list(REGISTRY)[:3] == ["segment", "document_date", "known_orgs"]
    assert name_key("De Alliantie") == "alliantie"
