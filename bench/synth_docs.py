"""Seeded synthetic Dutch documents in the genre regiograph reads.

Each document is a news item of about 300 words on regional collaboration: a headline, a
dateline, sentences that list partners with a partnership cue ("De gemeente X, Y en Z slaan
de handen ineen in de Alliantie van Q."), people with roles ("wethouder A B van de gemeente
X"), signing dates, sectors and places. Municipalities and provinces are the real ones of
``data/reference/``; organisations are invented, with the head words the extractor knows
(Stichting ..., ... College, Hogeschool ..., ... Ziekenhuis, ... B.V., ...), drawn from a
seeded *world* of organisations and collaborations so that they recur across documents as
in a real corpus (hubs are named by many documents, most organisations by a few).

    python bench/synth_docs.py OUT_DIR --docs 1000 [--seed 1]

The same ``seed`` and ``docs`` always give the same files (byte for byte).
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
FIRST_NAMES = ROOT / "src" / "regiograph" / "extract" / "lexicons" / "first_names.txt"

SURNAMES = (
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
    "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dijkstra", "Hoekstra",
    "Postma", "Kuipers", "Veenstra", "Brouwer", "van der Meer", "Wijma", "Zijlstra",
    "Boersma", "Kramer", "Hofman", "Schouten", "Koster", "Prins", "Huisman", "Kok",
    "Timmermans", "van Leeuwen", "Willems", "Bosma", "Haan", "Scholten", "Nijland",
)  # fmt: skip
SYLLABLES = (
    "ber", "dam", "veen", "lo", "wold", "kum", "ter", "aa", "hem", "sel", "mer", "dor",
    "burg", "stad", "hoven", "zijl", "rijp", "wijk", "horn", "ee", "lin", "gra", "mon",
    "vel", "tan", "rus", "kor", "bel", "nor", "tel",
)  # fmt: skip
#: type -> name patterns ({} is an invented name or a place)
ORG_PATTERNS = {
    "education": ("Hogeschool {}", "{} College", "ROC {}", "Scholengroep {}"),
    "research": ("Kenniscentrum {}", "Instituut voor {}onderzoek"),
    "healthcare": ("{} Ziekenhuis", "Zorggroep {}", "GGZ {}"),
    "business": ("{} B.V.", "{} Groep", "{} Technologies", "{} Systems"),
    "civil_society": ("Stichting {}", "Vereniging {}", "Woningcorporatie {}"),
    "intermediary": ("Ontwikkelingsmaatschappij {}", "Platform {}", "Kenniscluster {}"),
}
COLLAB_PATTERNS = (
    "Alliantie van {}", "Pact {}", "Regio Deal {}", "Netwerk {}", "Techniekpact {}",
    "Zorgalliantie {}", "Energieakkoord {}", "Convenant {}",
)  # fmt: skip
TYPE_SHARES = {
    "government": 0.26,
    "education": 0.14,
    "research": 0.06,
    "healthcare": 0.10,
    "business": 0.24,
    "civil_society": 0.12,
    "intermediary": 0.08,
}
SECTORS = (
    "onderwijs", "zorg", "energie", "maakindustrie", "agrifood", "water", "logistiek",
    "bouw", "toerisme", "arbeidsmarkt", "innovatie", "cultuur", "mobiliteit", "wonen",
    "circulaire economie", "natuur", "sociaal domein", "ict", "chemie",
)  # fmt: skip
ROLES = {  # type -> roles people hold there
    "government": ("wethouder", "burgemeester", "gedeputeerde"),
    "education": ("voorzitter van het college van bestuur", "directeur", "lector"),
    "research": ("directeur", "onderzoeker", "programmamanager"),
    "healthcare": ("bestuurder", "directeur", "voorzitter van de raad van bestuur"),
    "business": ("directeur", "eigenaar", "manager"),
    "civil_society": ("voorzitter", "directeur", "secretaris"),
    "intermediary": ("directeur", "projectleider", "kwartiermaker"),
}
MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
    "september", "oktober", "november", "december",
)  # fmt: skip
FILLER = (
    "De partners willen de komende jaren meer jongeren opleiden voor de banen van morgen.",
    "Daarbij staat de vraag van de regio centraal.",
    "Het programma loopt in eerste instantie vier jaar en wordt daarna geëvalueerd.",
    "Er is ruim aandacht voor praktijkgericht onderzoek en het delen van kennis.",
    "Volgens de betrokkenen is de regio klaar voor een volgende stap.",
    "Inwoners en ondernemers worden via bijeenkomsten bij de plannen betrokken.",
    "De eerste resultaten worden volgend jaar verwacht.",
    "Het gaat om een investering van enkele miljoenen euro's.",
    "De krapte op de arbeidsmarkt maakt de opgave urgent.",
    "Ook andere partijen kunnen zich later nog aansluiten.",
    "De plannen sluiten aan bij de regionale agenda voor de komende jaren.",
    "Een stuurgroep bewaakt de voortgang en rapporteert twee keer per jaar.",
    "Studenten lopen stage bij de deelnemende organisaties.",
    "Daarnaast komt er een gezamenlijk loket voor vragen van bedrijven.",
    "De aanpak moet ervoor zorgen dat talent in de regio blijft.",
    "Bedrijven kunnen meedenken over de inhoud van nieuwe opleidingen.",
    "In het najaar volgt een eerste evaluatie met alle betrokken partijen.",
    "De samenwerking bouwt voort op eerdere initiatieven in het gebied.",
    "Het ministerie draagt bij aan de financiering van het programma.",
    "Op die manier ontstaat een doorlopende leerlijn van vmbo tot hbo.",
)


@dataclass
class Org:
    name: str
    kind: str
    municipality: str  # real municipality name the organisation is based in
    province: str


@dataclass
class World:
    """The organisations, collaborations and people documents draw from."""

    municipalities: list[tuple[str, str, str]]  # (code, name, province name)
    orgs: list[Org] = field(default_factory=list)
    collaborations: list[tuple[str, str]] = field(default_factory=list)  # (name, province)
    people: dict[str, list[str]] = field(default_factory=dict)  # org name -> people
    first_names: list[str] = field(default_factory=list)


def _municipalities() -> list[tuple[str, str, str]]:
    provinces = {}
    with (REFERENCE / "provinces.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            provinces[row["code"]] = row["name"]
    with (REFERENCE / "municipalities.csv").open(encoding="utf-8") as handle:
        rows = [
            (r["code"], r["name"], provinces[r["province_code"]])
            for r in csv.DictReader(handle)
            if r["province_code"] in provinces
        ]
    return sorted(rows)


def _word(rng: random.Random, used: set[str]) -> str:
    while True:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        if word not in used:
            used.add(word)
            return word


def make_world(n_docs: int, seed: int) -> World:
    """A world sized for ``n_docs`` documents (about 0.6 organisations per document)."""
    rng = random.Random(f"world-{seed}")
    world = World(_municipalities())
    names = [
        line.strip()
        for line in FIRST_NAMES.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    world.first_names = sorted(n for n in names if n.isalpha() and len(n) > 2)
    used: set[str] = {n.lower().capitalize() for n in names}
    n_orgs = max(120, int(n_docs * 0.6))
    kinds = list(TYPE_SHARES)
    for kind in rng.choices(kinds, weights=list(TYPE_SHARES.values()), k=n_orgs):
        _, town, province = rng.choice(world.municipalities)
        if kind == "government":
            name = f"gemeente {town}"
            if any(o.name == name for o in world.orgs[-50:]):
                continue
        else:
            stem = town if rng.random() < 0.25 else _word(rng, used)
            name = rng.choice(ORG_PATTERNS[kind]).format(stem)
        world.orgs.append(Org(name, kind, town, province))
    for _ in range(max(30, n_docs // 4)):
        _, town, province = rng.choice(world.municipalities)
        stem = town if rng.random() < 0.5 else _word(rng, used)
        world.collaborations.append((rng.choice(COLLAB_PATTERNS).format(stem), province))
    for org in world.orgs:
        world.people[org.name] = [
            f"{rng.choice(world.first_names)} {rng.choice(SURNAMES)}"
            for _ in range(rng.randint(1, 3))
        ]
    return world


def _pick_orgs(rng: random.Random, world: World, k: int) -> list[Org]:
    # a power law over the organisation list: low indices are hubs
    n = len(world.orgs)
    chosen: dict[str, Org] = {}
    while len(chosen) < k:
        index = min(n - 1, int(n * rng.random() ** 2.2))
        org = world.orgs[index]
        chosen.setdefault(org.name, org)
    return list(chosen.values())


def _listing(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


def _role_sentence(rng: random.Random, world: World, org: Org) -> str:
    person = rng.choice(world.people[org.name])
    role = rng.choice(ROLES[org.kind])
    if org.kind == "government":
        role = rng.choice(("wethouder", "burgemeester"))
        return rng.choice(
            (
                f"Volgens {role} {person} van de {org.name} is dit een belangrijke stap.",
                f"{role.capitalize()} {person} van de {org.name} is blij met het resultaat.",
            )
        )
    return rng.choice(
        (
            f"{person}, {role} van {org.name}, spreekt van een mooie dag voor de regio.",
            f"\u201cWe hebben elkaar hard nodig\u201d, zegt {person}, {role} van {org.name}.",
            f"Namens {org.name} tekende {role} {person}.",
            f"{person} ({role} van {org.name}) ziet vooral kansen voor {org.municipality}.",
        )
    )


def document(rng: random.Random, world: World, index: int) -> tuple[str, str]:
    """One synthetic document: (file name, text)."""
    collab, _ = rng.choice(world.collaborations)
    orgs = _pick_orgs(rng, world, rng.randint(3, 8))
    gov = [o for o in orgs if o.kind == "government"]
    others = [o for o in orgs if o.kind != "government"]
    sectors = rng.sample(SECTORS, 3)
    year = rng.randint(2012, 2024)
    day, month = rng.randint(1, 28), rng.choice(MONTHS)
    town = (gov or orgs)[0].municipality
    headline = rng.choice((f"{collab} van start", f"Handen ineen voor {sectors[0]} in {town}"))
    body = [f"{town.upper()} - Op {day} {month} {year} is {collab} officieel van start gegaan."]
    if len(gov) >= 2:
        towns = [g.name.removeprefix("gemeente ") for g in gov]
        partners = [o.name for o in others[:3]] or [f"de provincie {gov[0].province}"]
        body.append(
            f"De gemeenten {_listing(towns)} slaan de handen ineen in {collab}"
            f" met {_listing(partners)}."
        )
        rest = [o.name for o in others[3:]]
    else:
        names = [o.name for o in orgs[:4]]
        body.append(f"{_listing(names)} slaan de handen ineen in {collab}.")
        rest = [o.name for o in orgs[4:]]
    if rest:
        verb = "sluit" if len(rest) == 1 else "sluiten"
        body.append(f"Ook {_listing(rest)} {verb} zich aan bij {collab}.")
    body.append(
        f"De partners werken samen aan {sectors[0]}, {sectors[1]} en {sectors[2]}"
        f" in {orgs[0].province}."
    )
    body.append(f"Het convenant werd op {day} {month} {year} ondertekend in {town}.")
    for org in rng.sample(orgs, min(len(orgs), rng.randint(2, 4))):
        body.append(_role_sentence(rng, world, org))
    if len(others) >= 2 and rng.random() < 0.5:
        a, b = others[:2]
        body.append(f"{a.name} en {b.name} werken daarnaast samen aan een nieuw project.")
    extra = _pick_orgs(rng, world, 2)
    body.append(
        f"Meer informatie over {collab} is te vinden bij {extra[0].name} en"
        f" {extra[1].name} in {extra[0].municipality}."
    )
    words = sum(len(s.split()) for s in body)
    fillers = list(FILLER)
    rng.shuffle(fillers)
    while words < 300 and fillers:
        sentence = fillers.pop()
        body.insert(rng.randint(2, len(body) - 1), sentence)
        words += len(sentence.split())
    paragraphs = [" ".join(body[i : i + 4]) for i in range(0, len(body), 4)]
    text = headline + "\n\n" + "\n\n".join(paragraphs) + "\n"
    name = f"{index:06d}_{rng.getrandbits(40):010x}.txt"
    return name, text


def generate(n_docs: int, *, seed: int = 1, world_docs: int | None = None):
    """Yield ``n_docs`` (file name, text) pairs; ``world_docs`` sizes the world (default
    ``n_docs``), so a corpus can grow by documents of the same world."""
    world = make_world(world_docs or n_docs, seed)
    for index in range(n_docs):
        yield document(random.Random(f"doc-{seed}-{index}"), world, index)


def write_corpus(target: str | Path, n_docs: int, *, seed: int = 1, **kwargs) -> int:
    """Write ``n_docs`` documents into ``target``; return the number of words written."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    words = 0
    for name, text in generate(n_docs, seed=seed, **kwargs):
        (target / name).write_text(text, encoding="utf-8")
        words += len(text.split())
    return words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    words = write_corpus(args.out, args.docs, seed=args.seed)
    print(f"{args.docs} documents, {words / max(1, args.docs):.0f} words each, in {args.out}")


if __name__ == "__main__":
    main()
