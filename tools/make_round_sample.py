"""Write samples/round-2022/: a synthetic round whose figures equal tilskudd.no's for 2022.

IMDi's 2022 round of *Integreringsarbeid i regi av frivillige organisasjoner*, as
tilskudd.no prints it: 188 applications from 139 applicants, 86 grants to 64
recipients, kr 137 924 745 requested, kr 38 227 000 granted (27,7 %).

Every organisation, person, address, organisation number and account number is
made up (the numbers pass the MOD11 check digits). The records are drawn from a
seeded random generator and then adjusted so the totals are exact; every record
is valid under grantdocs.rules with the default scheme.

    python tools/make_round_sample.py           # write samples/round-2022/, then check
    python tools/make_round_sample.py --check   # check that the files are current and valid

The output is deterministic: running the script twice gives the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections import Counter
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))

import make_samples  # noqa: E402  (puts src/ on sys.path too)
from make_samples import IMDI_LEADER, IMDI_SENIOR, ROOT, Data  # noqa: E402

from grantdocs.model import Case  # noqa: E402
from grantdocs.rules import check_case  # noqa: E402
from grantdocs.scheme import load_scheme  # noqa: E402

OUT = ROOT / "samples" / "round-2022"
SEED = 2022

# The figures tilskudd.no publishes for the 2022 round.
APPLICATIONS = 188
APPLICANTS = 139
GRANTS = 86
RECIPIENTS = 64
REQUESTED = 137_924_745
GRANTED = 38_227_000

# (municipality, county (2022), postcode, postal town, weight, Nynorsk share)
# fmt: off
PLACES: tuple[tuple[str, str, str, str, int, float], ...] = (
    ("Oslo", "Oslo", "0182", "Oslo", 30, 0.05),
    ("Bergen", "Vestland", "5015", "Bergen", 9, 0.35),
    ("Trondheim", "Trøndelag", "7012", "Trondheim", 7, 0.1),
    ("Stavanger", "Rogaland", "4005", "Stavanger", 5, 0.1),
    ("Drammen", "Viken", "3044", "Drammen", 4, 0.0),
    ("Lillestrøm", "Viken", "2000", "Lillestrøm", 3, 0.0),
    ("Bærum", "Viken", "1338", "Sandvika", 3, 0.0),
    ("Fredrikstad", "Viken", "1606", "Fredrikstad", 2, 0.0),
    ("Kristiansand", "Agder", "4611", "Kristiansand S", 4, 0.0),
    ("Arendal", "Agder", "4836", "Arendal", 1, 0.0),
    ("Tromsø", "Troms og Finnmark", "9008", "Tromsø", 3, 0.0),
    ("Alta", "Troms og Finnmark", "9510", "Alta", 1, 0.0),
    ("Bodø", "Nordland", "8006", "Bodø", 2, 0.0),
    ("Narvik", "Nordland", "8514", "Narvik", 1, 0.0),
    ("Hamar", "Innlandet", "2317", "Hamar", 2, 0.0),
    ("Lillehammer", "Innlandet", "2609", "Lillehammer", 1, 0.1),
    ("Gjøvik", "Innlandet", "2815", "Gjøvik", 1, 0.0),
    ("Skien", "Vestfold og Telemark", "3717", "Skien", 2, 0.0),
    ("Tønsberg", "Vestfold og Telemark", "3126", "Tønsberg", 1, 0.0),
    ("Ålesund", "Møre og Romsdal", "6002", "Ålesund", 2, 0.6),
    ("Molde", "Møre og Romsdal", "6413", "Molde", 1, 0.3),
    ("Volda", "Møre og Romsdal", "6100", "Volda", 1, 1.0),
    ("Sunnfjord", "Vestland", "6800", "Førde", 2, 1.0),
    ("Sogndal", "Vestland", "6856", "Sogndal", 1, 1.0),
    ("Voss", "Vestland", "5700", "Voss", 1, 1.0),
    ("Bjørnafjorden", "Vestland", "5200", "Os", 1, 1.0),
    ("Sandnes", "Rogaland", "4306", "Sandnes", 2, 0.0),
    ("Haugesund", "Rogaland", "5527", "Haugesund", 1, 0.2),
    ("Steinkjer", "Trøndelag", "7713", "Steinkjer", 1, 0.0),
)
STREETS = ("Storgata", "Kirkegata", "Skolegata", "Parkvegen", "Torggata", "Kongens gate",
           "Strandgata", "Fjordvegen", "Bryggegata", "Løkkeveien", "Sjøgata", "Bakkegata")

# Organisation names: "{place} {kind}" or "{kind} {place}", Bokmål and Nynorsk.
KINDS_NB = ("Flerkulturelle Forening", "Innvandrerråd", "Kvinnenettverk", "Språkkafé",
            "Frivilligsentral", "Ungdomslag", "Idrettslag", "Venneforening",
            "Leksehjelp", "Seniorforening", "Internasjonale Kulturforening", "Foreldrenettverk",
            "Flyktningguide", "Turlag", "Dialogsenter", "Sjakklubb", "Kor", "Røde Kors Hjelpekorps")
KINDS_NN = ("Fleirkulturelle Lag", "Innvandrarråd", "Kvinnenettverk", "Språkkafé",
            "Frivilligsentral", "Ungdomslag", "Idrettslag", "Venelag", "Leksehjelp",
            "Seniorlag", "Internasjonale Kulturlag", "Foreldrenettverk", "Turlag", "Mållag")
# Names from beyond the town list, so the alphabet is covered at both ends.
EXTRA_NAMES = (
    ("Aasen Kulturlag", "nn"), ("Åpent Hus Grünerløkka", "nb"), ("Ærlig Talt Dialogforum", "nb"),
    ("Øst Afrikansk Kvinneforening", "nb"), ("Østlandets Somaliske Forening", "nb"),
    ("Aabel Vennenettverk", "nb"), ("Ørsta Fleirkulturelle Lag", "nn"),
    ("Åsane Leksehjelp", "nb"), ("Sámi Siida Romsa", "nb"), ("Čoahkkin Dialogforum", "nb"),
)
FIRST = ("Kari", "Ola", "Ingrid", "Hamid", "Leyla", "Bjørn", "Åse", "Sigrun", "Amina", "Tor",
         "Ragnhild", "Yusuf", "Siri", "Jørgen", "Fatima", "Øystein", "Mari", "Ahmed", "Solveig",
         "Aleksander", "Hodan", "Torbjørn", "Ane", "Mustafa", "Kjersti", "Maja", "Ibrahim")
LAST = ("Hansen", "Haugen", "Sæther", "Rahimi", "Berg", "Kvåle", "Ødegård", "Nygård", "Aune",
        "Ali", "Dahl", "Lønne", "Myklebust", "Haddad", "Solberg", "Bjørnstad", "Mehmeti",
        "Ulstein", "Øien", "Warsame", "Eriksen", "Strøm", "Grønli", "Åsheim")
CASEWORKERS = ("Hamid Rahimi", "Sigrid Bakke", "Eirik Tveit", "Linn Kristoffersen",
               "Maria Johansen", "Knut Åmodt")
# fmt: on

# Titles per sub-goal: (Bokmål, Nynorsk).
TITLES: dict[str, tuple[tuple[str, str], ...]] = {
    "A": (
        ("Møteplass for nye og gamle innbyggere", "Møteplass for nye og gamle innbyggjarar"),
        ("Språkkafé og fellesskap i nærmiljøet", "Språkkafé og fellesskap i nærmiljøet"),
        ("Idrett for alle – inkludering i lokallaget", "Idrett for alle – inkludering i laget"),
        ("Turgrupper på tvers av kulturer", "Turgrupper på tvers av kulturar"),
        ("Ungdom mot rasisme", "Ungdom mot rasisme"),
        ("Felles middag i bydelen", "Felles middag i bygda"),
    ),
    "B": (
        ("Norsktrening med frivillige", "Norsktrening med frivillige"),
        ("Leksehjelp og veiledning for voksne innvandrere",
         "Leksehjelp og rettleiing for vaksne innvandrarar"),
        ("Jobbklar – mentorordning for arbeidssøkere",
         "Jobbklar – mentorordning for arbeidssøkjarar"),
        ("Samfunnskunnskap i praksis", "Samfunnskunnskap i praksis"),
        ("Digital hverdag for nykommere", "Digital kvardag for nykomne"),
    ),
    "C": (
        ("Samtalegrupper om likestilling i familien", "Samtalegrupper om likestilling i familien"),
        ("Forebygging av negativ sosial kontroll", "Førebygging av negativ sosial kontroll"),
        ("Trygg ungdomstid – kurs for foreldre", "Trygg ungdomstid – kurs for foreldre"),
        ("Kvinnenettverk for selvstendighet", "Kvinnenettverk for sjølvstende"),
    ),
}
TARGETS = {
    "nb": ("Innvandrere i kommunen", "Frivillige i nærmiljøet", "Ungdom 13–19 år"),
    "nn": ("Innvandrarar i kommunen", "Frivillige i nærmiljøet", "Ungdom 13–19 år"),
}
PARTIAL_TEXT = {
    "nb": "Søknadene til ordningen var langt større enn midlene. Vi har prioritert "
    "aktivitetene som er direkte rettet mot målgruppen.",
    "nn": "Søknadene til ordninga var langt større enn midlane. Vi har prioritert "
    "aktivitetane som er direkte retta mot målgruppa.",
}
REJECT_CODES = ("limited-funds", "unclear-goals", "unclear-target-groups", "unrealistic-budget",
                "weak-plan", "outside-goals", "local-activity")
DECISION_DATES = ("15.03.2022", "29.03.2022", "26.04.2022", "10.05.2022", "24.05.2022")


def _day(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d.%m.%Y").date()


def _orgnr(rng: random.Random, used: set[str]) -> str:
    while True:
        base = str(rng.choice((8, 9))) + "".join(str(rng.randrange(10)) for _ in range(7))
        weights = (3, 2, 7, 6, 5, 4, 3, 2)
        check = (11 - sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11) % 11
        if check == 10:
            continue
        number = base + str(check)
        if number not in used:
            used.add(number)
            return number


def _account(rng: random.Random, used: set[str]) -> str:
    while True:
        base = "".join(str(rng.randrange(10)) for _ in range(10))
        weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
        check = (11 - sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11) % 11
        if check == 10 or base[0] == "0":
            continue
        number = base + str(check)
        if number not in used:
            used.add(number)
            return number


def _ascii(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "á": "a", "č": "c", "ü": "u"})
    return "".join(c for c in text.lower().translate(table) if c.isalnum() or c == ".")


def make_orgs(rng: random.Random) -> list[Data]:
    """APPLICANTS organisations with distinct names, org numbers and accounts."""
    orgs: list[Data] = []
    names: set[str] = set()
    numbers: set[str] = set()
    accounts: set[str] = set()
    weights = [p[4] for p in PLACES]
    extras = list(EXTRA_NAMES)
    while len(orgs) < APPLICANTS:
        place = rng.choices(PLACES, weights)[0]
        municipality, county, postcode, city, _, nn_share = place
        if extras and len(orgs) % 13 == 5:
            name, lang = extras.pop(0)
        else:
            lang = "nn" if rng.random() < nn_share else "nb"
            kind = rng.choice(KINDS_NN if lang == "nn" else KINDS_NB)
            town = rng.choice((municipality, city)) if municipality != city else city
            name = f"{town} {kind}" if rng.random() < 0.7 else f"{kind} {town}"
        if name in names:
            continue
        names.add(name)
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        orgs.append({
            "org_number": _orgnr(rng, numbers),
            "name": name,
            "address": f"{rng.choice(STREETS)} {rng.randrange(1, 120)}",
            "postcode": postcode,
            "city": city,
            "contact_person": person,
            "email": f"{_ascii(name.split()[0])}.{len(orgs) + 1}@example.no",
            "bank_account": _account(rng, accounts),
            "municipality": municipality,
            "county": county,
            "_lang": lang,
        })
    return orgs


def plan_applications(rng: random.Random) -> list[tuple[int, str]]:
    """(organisation index, decision kind) for every application.

    Organisations 0-63 are the recipients: two get three grants and eighteen get
    two (86 grants). Every other organisation is rejected at least once; some
    apply twice, and some recipients also have an application rejected.
    """
    plan: list[tuple[int, str]] = []
    grant_count = [3, 3] + [2] * 18 + [1] * (RECIPIENTS - 20)
    for index, count in enumerate(grant_count):
        plan += [(index, "grant")] * count
    plan += [(index, "rejected") for index in range(RECIPIENTS, APPLICANTS)]
    extra = APPLICATIONS - len(plan)
    twice = rng.sample(range(RECIPIENTS, APPLICANTS), extra // 2)
    also = rng.sample(range(20, RECIPIENTS), extra - extra // 2)
    plan += [(index, "rejected") for index in [*twice, *also]]
    rng.shuffle(plan)
    return plan


def _spread(values: list[int], target: int, step: int, low: list[int], high: list[int]) -> None:
    """Nudge ``values`` by ``step`` within [low, high] until they sum to ``target``."""
    index = 0
    guard = 0
    while (diff := target - sum(values)) != 0:
        move = step if diff > 0 else -step
        if abs(diff) < step:
            move = diff
        new = values[index] + move
        if low[index] <= new <= high[index]:
            values[index] = new
        index = (index + 1) % len(values)
        guard += 1
        if guard > 10_000_000:  # pragma: no cover - the bounds leave room
            raise RuntimeError("cannot reach the target within the bounds")


def build_cases() -> list[Data]:
    rng = random.Random(SEED)
    orgs = make_orgs(rng)
    plan = plan_applications(rng)

    # Grants: which are single measures, which are partial, and the amounts (whole thousands).
    grant_slots = [i for i, (_, k) in enumerate(plan) if k == "grant"]
    measure = {i: rng.random() < 0.2 for i in grant_slots}
    partial = {i: rng.random() < 0.62 for i in grant_slots}
    granted: list[int] = []
    for i in grant_slots:
        if measure[i]:
            granted.append(rng.choice((15, 20, 25, 30, 40, 45, 50, 60, 75, 80, 90, 120)) * 1000)
        else:
            granted.append(int(rng.triangular(60, 900, 600)) * 1000)
    low = [10_000 if measure[i] else 50_000 for i in grant_slots]
    high = [150_000 if measure[i] else 950_000 for i in grant_slots]
    _spread(granted, GRANTED, 7_000, low, high)

    requested: dict[int, int] = {}
    budget: dict[int, int] = {}
    amount: dict[int, int] = {}
    for i, value in zip(grant_slots, granted, strict=True):
        amount[i] = value
        if partial[i]:
            cap = 1_000_000 if not measure[i] else 250_000
            ask = min(cap, value + rng.randrange(20_000, max(30_000, value), 5_000))
            if ask <= value:
                partial[i] = False
                ask = value
            requested[i] = ask
        else:
            requested[i] = value
        top = 1_000_000 if not measure[i] else 300_000
        budget[i] = min(top, requested[i] + rng.randrange(0, 400_000, 10_000))

    # Rejections: amounts as applicants type them, adjusted so the round's total is exact.
    reject_slots = [i for i, (_, k) in enumerate(plan) if k == "rejected"]
    asked = [rng.randrange(150_000, 1_900_000, 50) for _ in reject_slots]
    rest = REQUESTED - sum(requested.values())
    _spread(asked, rest, 3_115, [50_000] * len(asked), [2_500_000] * len(asked))
    for i, value in zip(reject_slots, asked, strict=True):
        requested[i] = value
        measure[i] = value < 200_000 and rng.random() < 0.5
        over = value > 900_000 and rng.random() < 0.4
        budget[i] = value + (rng.randrange(300_000, 900_000, 10_000) if over else
                             rng.randrange(0, 200_000, 10_000))

    cases: list[Data] = []
    serial = 40
    for position, (org_index, plan_kind) in enumerate(plan):
        o = orgs[org_index]
        lang: str = o["_lang"]
        serial += rng.randrange(1, 9)
        decided = _day(DECISION_DATES[position * len(DECISION_DATES) // APPLICATIONS])
        applied = _day("05.01.2022") + dt.timedelta(days=rng.randrange(0, 45))
        goals = sorted(rng.sample("ABC", 2 if rng.random() < 0.2 else 1))
        title_nb, title_nn = rng.choice(TITLES[goals[0]])
        title = f"{title_nn if lang == 'nn' else title_nb} {2022}"
        is_measure = measure[position]
        start = decided + dt.timedelta(days=rng.randrange(14, 60))
        end = start + dt.timedelta(days=rng.randrange(20, 60)) if is_measure else _day("31.12.2022")
        kind = "rejected"
        if plan_kind == "grant":
            kind = "partial" if partial[position] else "granted"
        vedtak = {
            ("granted", "nb"): "innvilget", ("granted", "nn"): "innvilga",
            ("partial", "nb"): "delvis innvilget", ("partial", "nn"): "delvis innvilga",
        }.get((kind, lang), "avslag")
        reasons: list[str] = []
        reason_text = None
        if kind == "partial":
            reasons = ["limited-funds"]
            reason_text = PARTIAL_TEXT[lang]
        elif kind == "rejected":
            if budget[position] > 1_000_000:
                reasons = ["budget-over-max"]
            else:
                reasons = sorted(rng.sample(REJECT_CODES, rng.choice((1, 1, 2))))
        caseworker = rng.choice(CASEWORKERS)
        big = amount.get(position, 0) >= 500_000
        approver = IMDI_LEADER if big or position % 2 else IMDI_SENIOR
        cases.append({
            "organisation": {k: v for k, v in o.items() if not k.startswith("_")},
            "application": {
                "reference": f"2022-{1000 + position * 7 % 997:04d}",
                "title": title,
                "kind": "measure" if is_measure else "project",
                "sub_goals": goals,
                "amount_requested": requested[position],
                "annual_budget": budget[position],
                "date_applied": applied,
                "period_start": start,
                "period_end": end,
                "target_groups": [rng.choice(TARGETS[lang])],
                "result_goals": [],
            },
            "decision": {
                "case_number": f"22/{serial:05d}-{rng.randrange(2, 5)}",
                "kind": kind,
                "date": decided,
                "amount_granted": amount.get(position, 0),
                "reason_codes": reasons,
                "reason_text": reason_text,
                "conditions": [],
                "payment_date": decided + dt.timedelta(days=14) if kind != "rejected" else None,
                "report_deadline": None,
                "caseworker": caseworker,
                "approver": approver,
            },
            "language": lang,
            "_vedtak": vedtak,
        })
    return cases


def figures(cases: list[Data]) -> dict[str, int]:
    grants = [c for c in cases if c["decision"]["amount_granted"] > 0]
    return {
        "applications": len(cases),
        "applicants": len({c["organisation"]["org_number"] for c in cases}),
        "grants": len(grants),
        "recipients": len({c["organisation"]["org_number"] for c in grants}),
        "requested": sum(c["application"]["amount_requested"] for c in cases),
        "granted": sum(c["decision"]["amount_granted"] for c in cases),
    }


EXPECTED = {
    "applications": APPLICATIONS, "applicants": APPLICANTS, "grants": GRANTS,
    "recipients": RECIPIENTS, "requested": REQUESTED, "granted": GRANTED,
}

README = """\
# Sample round: IMDi 2022

Synthetic decisions for a whole round of *Integreringsarbeid i regi av frivillige
organisasjoner* (2022), whose figures equal what tilskudd.no publishes for the round:

| Omsøkt | Tildelt | Innvilget | Søkere | Mottakere | Søknader | Tildelinger |
|---|---|---|---|---|---|---|
| 137 924 745 kr | 38 227 000 kr | 27,7 % | 139 | 64 | 188 | 86 |

Generated by `tools/make_round_sample.py` (seed {seed}); do not edit by hand.
`decisions.csv` is a caseworker's sheet in the format of `samples/decisions.csv`
(UTF-8 with BOM, `;`, Norwegian headers); `decisions.json` holds the same cases.

**Everything here is made up**: organisations, people, addresses, organisation and
account numbers (they pass the MOD11 check digits), case numbers and amounts.

{summary}

Try it: `grantdocs stats samples/round-2022/decisions.csv --out statistikk.pdf`.
"""


def summary(cases: list[Data]) -> str:
    kinds = Counter(c["decision"]["kind"] for c in cases)
    langs = Counter(c["language"] for c in cases)
    goals = Counter(g for c in cases for g in c["application"]["sub_goals"])
    return (
        f"{len(cases)} cases: {kinds['granted']} granted, {kinds['partial']} partial, "
        f"{kinds['rejected']} rejected; {langs['nb']} in Bokmål, {langs['nn']} in Nynorsk; "
        f"sub-goals A {goals['A']}, B {goals['B']}, C {goals['C']}; "
        f"{len({c['organisation']['county'] for c in cases})} counties, "
        f"{len({c['organisation']['municipality'] for c in cases})} municipalities."
    )


def build(cases: list[Data]) -> dict[str, bytes]:
    return {
        "decisions.csv": make_samples.make_csv(cases),
        "decisions.json": make_samples.make_json(cases),
        "README.md": README.format(seed=SEED, summary=summary(cases)).encode("utf-8"),
    }


def check(cases: list[Data]) -> list[str]:
    problems: list[str] = []
    got = figures(cases)
    if got != EXPECTED:
        problems.append(f"figures {got}, expected {EXPECTED}")
    numbers = [c["decision"]["case_number"] for c in cases]
    if len(set(numbers)) != len(numbers):
        problems.append("case numbers are not unique")
    scheme = load_scheme()
    warnings = 0
    for data in cases:
        case = Case.model_validate(make_samples.model_data(data))
        issues = check_case(case, scheme)
        problems += [f"{case.reference}: {i.message}" for i in issues if i.is_error]
        warnings += sum(not i.is_error for i in issues)
    if warnings > 10:
        problems.append(f"{warnings} warnings; keep them few")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="check; do not write")
    args = parser.parse_args(argv)
    cases = build_cases()
    problems = check(cases)
    files = build(cases)
    if args.check:
        for name, content in files.items():
            path = OUT / name
            if not path.exists() or path.read_bytes() != content:
                problems.append(f"{path.relative_to(ROOT)} is missing or out of date")
    elif not problems:
        OUT.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (OUT / name).write_bytes(content)
            print(f"wrote {(OUT / name).relative_to(ROOT)}")
    print(summary(cases))
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
