"""Write the synthetic sample decisions in samples/ (JSON, CSV, XLSX and a CSV with errors).

Every organisation, person, address, organisation number and account number
here is made up. The organisation and account numbers pass the MOD11 check
digits (they were picked so that they do) but belong to no one we know of.

    python tools/make_samples.py           # write samples/, then check them
    python tools/make_samples.py --check   # check that samples/ is up to date and valid

The output is deterministic: running the script twice gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import sys
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter
from pydantic import ValidationError
from stdnum.no import kontonr, orgnr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from grantdocs.model import Case, Round  # noqa: E402
from grantdocs.rules import check_case  # noqa: E402
from grantdocs.scheme import load_scheme  # noqa: E402

OUT = ROOT / "samples"
FIXED_TIME = dt.datetime(2022, 3, 15, 12, 0)

Data = dict[str, Any]


def day(text: str) -> dt.date:
    """A date written the Norwegian way, "15.03.2022"."""
    return dt.datetime.strptime(text, "%d.%m.%Y").date()


# --- Organisations ------------------------------------------------------------

IMDI_LEADER = "Ingrid Haaland"  # avdelingsdirektør in the IMDi issuer profile
IMDI_SENIOR = "Ola Søreide"  # seniorrådgiver in the IMDi issuer profile


def org(
    org_number: str,
    name: str,
    address: str,
    postcode: str,
    city: str,
    municipality: str,
    county: str,
    contact_person: str,
    email: str,
    bank_account: str,
) -> Data:
    return {
        "org_number": org_number,
        "name": name,
        "address": address,
        "postcode": postcode,
        "city": city,
        "contact_person": contact_person,
        "email": email,
        "bank_account": bank_account,
        "municipality": municipality,
        "county": county,
    }


# fmt: off
ORGS: dict[str, Data] = {
    "fmn": org("992676507", "Frivillig Mangfold Norge", "Storgata 37", "0182", "Oslo",
               "Oslo", "Oslo", "Kristin Sæther", "frivillig.mangfold@example.no", "15034644109"),
    "sami": org("970104860", "Sámi Searvi Oslo", "Kirkegata 15", "0153", "Oslo",
                "Oslo", "Oslo", "Áilu Čuđe", "samisearvi.oslo@example.no", "15069824029"),
    "sunnfjord": org("977423791", "Sunnfjord Fleirkulturelle Kvinnelag", "Hafstadvegen 31",
                     "6800", "Førde", "Sunnfjord", "Vestland", "Hodan Abdi Nygård",
                     "sunnfjord.kvinnelag@example.no", "12544082572"),
    "nettverket": org("971505877", "Nettverket Inkludering Norge", "Pilestredet 56", "0167",
                      "Oslo", "Oslo", "Oslo", "Bjørn Erik Dahl", "post.nin@example.no",
                      "30006513146"),
    "furuset": org("948752085", "Furuset Flerkulturelle Seniorforening", "Tevlingveien 23",
                   "1081", "Oslo", "Oslo", "Oslo", "Gurpreet Kaur Solberg",
                   "furuset.seniorer@example.no", "32017522158"),
    "sogn": org("964674205", "Sogn Flyktningvenner", "Parkvegen 8", "6856", "Sogndal",
                "Sogndal", "Vestland", "Ragnhild Kvåle", "sogn.flyktningvenner@example.no",
                "32080940806"),
    "apen": org("996246248", "Åpen dør – nettverk mot negativ sosial kontroll",
                "Grønlandsleiret 25", "0190", "Oslo", "Oslo", "Oslo", "Samira Haddad",
                "apen.dor@example.no", "34119239593"),
    "kvinnevest": org("960408942", "Kvinnenettverket Vest", "Olav Kyrres gate 49", "5015",
                      "Bergen", "Bergen", "Vestland", "Leyla Haugland",
                      "kvinnenettverket.vest@example.no", "37059861655"),
    "sprakvenn": org("972056332", "Språkvenn Norge", "Kongens gate 30", "7012", "Trondheim",
                     "Trondheim", "Trøndelag", "Marianne Aune", "sprakvenn@example.no",
                     "37320619794"),
    "kompaniet": org("965302662", "Integreringskompaniet AS", "Kanalsletta 2", "4033",
                     "Stavanger", "Stavanger", "Rogaland", "Thomas Rygg",
                     "kurs.integreringskompaniet@example.no", "39105893357"),
    "aasland": org("926094432", "Aasland Ungdomslag", "Hegglandsdalsvegen 120", "5200", "Os",
                   "Bjørnafjorden", "Vestland", "Torbjørn Aasland",
                   "aasland.ungdomslag@example.no", "42002824099"),
    "nordnorsk": org("956402816", "Nordnorsk Flerkulturelt Forum", "Storgata 102", "9008",
                     "Tromsø", "Tromsø", "Troms og Finnmark", "Máret Ŋuvttat",
                     "nordnorsk.forum@example.no", "42023830692"),
    "foreldre": org("915676480", "Foreldrenettverk Agder", "Markens gate 40", "4611",
                    "Kristiansand S", "Kristiansand", "Agder", "Fatima Ahmadi Olsen",
                    "foreldrenettverk.agder@example.no", "63451944934"),
    "more": org("977701465", "Møre Mangfaldslag", "Storgata 23", "6100", "Volda", "Volda",
                "Møre og Romsdal", "Ingebjørg Ulstein", "more.mangfaldslag@example.no",
                "97104142048"),
    "lesesirkel": org("966096039", "Lesesirkel Norge", "Torggata 65", "2317", "Hamar", "Hamar",
                      "Innlandet", "Per Olav Bjørnstad", "lesesirkel@example.no",
                      "36250027243"),
    "romsdal": org("916101384", "Romsdal Friluftsforum", "Storgata 18", "6413", "Molde",
                   "Molde", "Møre og Romsdal", "Oddbjørn Rekdal", "romsdal.friluft@example.no",
                   "18225243235"),
    "skien": org("957578225", "Internasjonalt Kvinneforum Skien", "Kverndalsgata 12", "3717",
                 "Skien", "Skien", "Vestfold og Telemark", "Hawa Jallow Berg",
                 "kvinneforum.skien@example.no", "43129917173"),
    "kia": org("968336479", "Kvinner i Arbeid Nettverk", "Tollbugata 5", "3044", "Drammen",
               "Drammen", "Viken", "Sara Mehmeti", "kvinner.i.arbeid@example.no",
               "35303447278"),
    "hallingdal": org("930109509", "Hallingdal Fleirkulturelle Forum", "Sentrumsvegen 93",
                      "3550", "Gol", "Gol", "Viken", "Guri Haugen Ruud",
                      "hallingdal.forum@example.no", "28019175229"),
    "ungdom": org("982201241", "Ungdom for Fellesskap Norge", "Storgata 8", "2000",
                  "Lillestrøm", "Lillestrøm", "Viken", "Jonas Eriksen Haile",
                  "ungdom.fellesskap@example.no", "32901569516"),
    "nordfjord": org("952278215", "Norskkafeen i Nordfjord", "Eidsgata 20", "6770",
                     "Nordfjordeid", "Stad", "Vestland", "Sigrun Myklebust",
                     "norskkafeen.nordfjord@example.no", "30006388988"),
    "idrett": org("995212889", "Mangfold i Idretten Norge", "Kongsgata 20", "4005",
                  "Stavanger", "Stavanger", "Rogaland", "Kristian Øien",
                  "mangfold.idretten@example.no", "16078119172"),
    "voss": org("998332710", "Voss Internasjonale Kulturlag", "Uttrågata 15", "5700", "Voss",
                "Voss", "Vestland", "Astrid Lønne", "voss.kulturlag@example.no",
                "92350232437"),
    "sostre": org("919493429", "Foreningen Sterke Søstre", "Storgata 50", "8006", "Bodø",
                  "Bodø", "Nordland", "Hibaq Warsame", "sterke.sostre@example.no",
                  "39108353175"),
}
# fmt: on


# --- Cases --------------------------------------------------------------------
# Decision rounds: 15.03, 29.03, 26.04, 10.05 and 24.05.2022 (all Tuesdays), each
# paid out a week or two later. Applications are from January and February 2022.


def case(
    org_key: str,
    language: str,
    *,
    number: str,
    vedtak: str,
    decided: str,
    title: str,
    kind: str,
    goals: str,
    requested: int,
    budget: int | None,
    applied: str,
    start: str | None = None,
    end: str | None = None,
    targets: tuple[str, ...] = (),
    results: tuple[str, ...] = (),
    granted: int = 0,
    reasons: tuple[str, ...] = (),
    reason_text: str | None = None,
    conditions: tuple[str, ...] = (),
    paid: str | None = None,
    report: str | None = None,
    caseworker: str,
    approver: str | None = None,
    reference: str | None = None,
) -> Data:
    """One case in the model's nested shape; ``vedtak`` is the sheet's word for the kind."""
    decision_kind = {
        "innvilget": "granted",
        "innvilga": "granted",
        "delvis innvilget": "partial",
        "delvis innvilga": "partial",
        "avslag": "rejected",
    }[vedtak]
    application: Data = {
        "reference": reference,
        "title": title,
        "kind": kind,
        "sub_goals": [g.strip() for g in goals.split(",")],
        "amount_requested": requested,
        "annual_budget": budget,
        "date_applied": day(applied),
        "period_start": day(start) if start else None,
        "period_end": day(end) if end else None,
        "target_groups": list(targets),
        "result_goals": list(results),
    }
    decision: Data = {
        "case_number": number,
        "kind": decision_kind,
        "date": day(decided),
        "amount_granted": granted,
        "reason_codes": list(reasons),
        "reason_text": reason_text,
        "conditions": list(conditions),
        "payment_date": day(paid) if paid else None,
        "report_deadline": day(report) if report else None,
        "caseworker": caseworker,
        "approver": approver,
    }
    return {
        "organisation": dict(ORGS[org_key]),
        "application": application,
        "decision": decision,
        "language": language,
        # How the caseworker wrote the decision in the sheet (not a model field).
        "_vedtak": vedtak,
    }


# fmt: off
CASES: list[Data] = [
    case(
        "fmn", "nb", number="22/00087-3", vedtak="innvilget", decided="15.03.2022",
        reference="2022-0112",
        title="Nasjonal konferanse: Frivillighet som vei til fellesskap",
        kind="measure", goals="A", requested=75_000, budget=140_000, applied="18.01.2022",
        start="01.09.2022", end="30.09.2022",
        targets=("Frivillige og tillitsvalgte i lokallag over hele landet",
                 "Ansatte i kommuner som samarbeider med frivillige organisasjoner"),
        results=("Minst 150 deltakere fra minst 10 fylker",
                 "Innleggene og erfaringene fra konferansen publisert på nett innen "
                 "1. november 2022"),
        granted=75_000,
        conditions=("Program og påmelding skal ligge på nett senest 15. juni 2022.",),
        paid="01.04.2022", report="01.12.2022",
        caseworker="Hamid Rahimi", approver=IMDI_LEADER,
    ),
    case(
        "sami", "nb", number="22/00094-2", vedtak="delvis innvilget", decided="15.03.2022",
        reference="2022-0131",
        title="Minoriteter i møte – samisk ungdom og ungdom med innvandrerbakgrunn mot rasisme",
        kind="project", goals="A", requested=180_000, budget=260_000, applied="21.01.2022",
        start="01.04.2022", end="31.12.2022",
        targets=("Ungdom 15–25 år med samisk bakgrunn",
                 "Ungdom 15–25 år med innvandrerbakgrunn i Oslo og Viken"),
        results=("Seks dialogmøter med minst 25 deltakere hver",
                 "Et metodehefte om dialog mellom minoriteter publisert innen "
                 "1. desember 2022"),
        granted=120_000, reasons=("limited-funds",),
        reason_text="Vi har prioritert dialogmøtene og metodeheftet og har ikke funnet rom "
        "for den planlagte studieturen til Kautokeino.",
        conditions=("Tilskuddet skal brukes til dialogmøtene og opplæring av frivillige "
                    "ungdomsledere.",),
        paid="01.04.2022",
        caseworker="Sigrid Bakke", approver=IMDI_LEADER,
    ),
    case(
        "sunnfjord", "nn", number="22/00102-4", vedtak="innvilga", decided="15.03.2022",
        reference="2022-0158",
        title="Temadag om likestilling og familieliv for nykomne kvinner, med strøyming til "
        "kvinnelag på Vestlandet",
        kind="measure", goals="C", requested=12_000, budget=18_000, applied="24.01.2022",
        start="01.10.2022", end="31.10.2022",
        targets=("Nykomne kvinner med innvandrarbakgrunn i Sunnfjord",
                 "Frivillige i kvinnelag og lokallag på Vestlandet"),
        results=("Minst 40 deltakarar på temadagen",
                 "Minst 10 lag har fått tilgang til opptak av foredraga"),
        granted=12_000, paid="01.04.2022", report="01.12.2022",
        caseworker="Eirik Tveit", approver=IMDI_SENIOR,
    ),
    case(
        "nettverket", "nb", number="22/00115-2", vedtak="avslag", decided="15.03.2022",
        reference="2022-0087",
        title="Sammen i arbeid – nasjonalt program for inkludering i arbeidslivet",
        kind="project", goals="A, B", requested=500_000, budget=1_250_000,
        applied="12.01.2022", start="01.04.2022", end="31.12.2022",
        targets=("Innvandrere som står utenfor arbeidslivet",
                 "Arbeidsgivere i privat og offentlig sektor"),
        results=("200 deltakere i arbeidspraksis", "50 deltakere i fast jobb innen ett år"),
        reasons=("budget-over-max",),
        reason_text="Søknaden oppgir et årlig budsjett på 1 250 000 kroner for 2022.",
        caseworker="Hamid Rahimi", approver=IMDI_LEADER,
    ),
    case(
        "furuset", "nb", number="22/00121-3", vedtak="avslag", decided="15.03.2022",
        title="Seniortreff på tvers av kulturer",
        kind="measure", goals="A", requested=8_000, budget=8_000, applied="27.01.2022",
        start="01.05.2022", end="30.06.2022",
        targets=("Eldre med og uten innvandrerbakgrunn på Furuset",),
        results=("Fire treff med minst 20 deltakere hver",),
        reasons=("measure-under-min",),
        reason_text="Tiltaket kan passe for Oslo kommunes tilskudd til lokale aktiviteter.",
        caseworker="Linn Kristoffersen",
    ),
    case(
        "sogn", "nn", number="22/00128-2", vedtak="innvilget", decided="29.03.2022",
        reference="2022-0164",
        title="Vennefamiliar i Sogn – ein modell for distriktskommunar",
        kind="project", goals="A, B", requested=95_000, budget=180_000, applied="25.01.2022",
        start="01.04.2022", end="31.12.2022",
        targets=("Flyktningar som er busette i Sogn dei siste tre åra",
                 "Familiar i lokalsamfunna som vil vere vennefamilie"),
        results=("30 vennepar er etablerte innan 1. september 2022",
                 "Ei rettleiing for andre distriktskommunar er publisert innan utgangen "
                 "av 2022"),
        granted=95_000, paid="11.04.2022",
        caseworker="Eirik Tveit", approver=IMDI_LEADER,
    ),
    case(
        "apen", "nb", number="22/00133-5", vedtak="innvilget", decided="29.03.2022",
        reference="2022-0099",
        title="Trygg hjemme – samtalegrupper for unge om negativ sosial kontroll",
        kind="project", goals="C", requested=250_000, budget=520_000, applied="14.01.2022",
        start="01.04.2022", end="31.12.2022",
        targets=("Ungdom 13–20 år med innvandrerbakgrunn", "Foreldre og foresatte"),
        results=("Minst 12 samtalegrupper med til sammen 100 deltakere",
                 "Minst 80 prosent av deltakerne svarer i evalueringen at de vet hvor de "
                 "kan få hjelp"),
        granted=250_000,
        conditions=("Gruppelederne skal ha fullført kurs i samtaleledelse før gruppene "
                    "starter.",
                    "Organisasjonen skal ha skriftlige rutiner for å melde bekymring til "
                    "barnevernet."),
        paid="11.04.2022",
        caseworker="Sigrid Bakke", approver=IMDI_LEADER,
    ),
    case(
        "kvinnevest", "nn", number="22/00139-2", vedtak="delvis innvilga", decided="29.03.2022",
        reference="2022-0120",
        title="Ikkje åleine – rettleiing for unge i fare for tvangsekteskap",
        kind="project", goals="C", requested=450_000, budget=600_000, applied="19.01.2022",
        start="01.05.2022", end="31.12.2022",
        targets=("Unge 16–25 år med innvandrarbakgrunn som står i fare for tvangsekteskap",
                 "Tilsette i skular og hjelpetenester på Vestlandet"),
        results=("Minst 60 unge har fått rettleiing",
                 "Fire kurs for tilsette i skular og hjelpetenester med til saman minst "
                 "120 deltakarar"),
        granted=300_000, reasons=("unrealistic-budget", "limited-funds"),
        reason_text="Løna til prosjektleiaren er rekna for ei heil stilling, medan "
        "aktivitetsplanen svarar til om lag ei halv stilling. Vi har difor sett ned tilskotet.",
        conditions=("Rettleiarane skal ha teieplikt og skriftlege rutinar for å melde frå til "
                    "barnevernet.",),
        paid="11.04.2022",
        caseworker="Eirik Tveit", approver=IMDI_LEADER,
    ),
    case(
        "sprakvenn", "nb", number="22/00146-3", vedtak="innvilget", decided="29.03.2022",
        reference="2022-0076",
        title="Språkvenn digital – norsktrening med frivillige i hele landet",
        kind="project", goals="B", requested=400_000, budget=1_000_000, applied="10.01.2022",
        start="01.04.2022", end="31.12.2022",
        targets=("Voksne innvandrere med kort botid",
                 "Beboere i statlige mottak for asylsøkere"),
        results=("Minst 600 deltakere har hatt minst fem samtaler med en språkvenn",
                 "Minst 200 nye frivillige språkvenner er rekruttert og har fått opplæring"),
        granted=400_000,
        conditions=("De digitale samlingene skal være gratis for deltakerne.",),
        paid="11.04.2022", report="01.02.2023",
        caseworker="Hamid Rahimi", approver=IMDI_SENIOR,
    ),
    case(
        "kompaniet", "nb", number="22/00152-2", vedtak="avslag", decided="29.03.2022",
        reference="2022-0171",
        title="Jobbklar – kurs i arbeidslivsnorsk",
        kind="project", goals="B", requested=300_000, budget=450_000, applied="28.01.2022",
        start="01.05.2022", end="31.12.2022",
        targets=("Arbeidssøkende innvandrere i Rogaland",),
        results=("Fire kurs med 15 deltakere hver",),
        reasons=("not-voluntary",),
        reason_text="Søkeren er et aksjeselskap som selger kurs på kommersielt grunnlag, og "
        "er ikke en frivillig organisasjon.",
        caseworker="Linn Kristoffersen", approver=IMDI_LEADER,
    ),
    case(
        "aasland", "nn", number="22/00158-4", vedtak="avslag", decided="26.04.2022",
        title="Ungdomskveldar for alle på Os",
        kind="project", goals="A", requested=60_000, budget=85_000, applied="31.01.2022",
        start="01.08.2022", end="31.12.2022",
        targets=("Ungdom 13–18 år på Os, med og utan innvandrarbakgrunn",),
        results=("Ti ungdomskveldar med minst 30 deltakarar kvar",),
        reasons=("local-activity",),
        reason_text="Bjørnafjorden kommune forvaltar tilskot til lokale aktivitetar under "
        "ordninga. Vi rår dykk til å søkje kommunen.",
        caseworker="Eirik Tveit", approver=IMDI_SENIOR,
    ),
    case(
        "nordnorsk", "nb", number="22/00163-2", vedtak="innvilget", decided="26.04.2022",
        reference="2022-0143",
        title="Mange stemmer i nord – dialogkvelder mot rasisme og hets",
        kind="project", goals="A, C", requested=140_000, budget=230_000,
        applied="20.01.2022", start="01.05.2022", end="31.12.2022",
        targets=("Samisk, kvensk og norsk ungdom og unge med innvandrerbakgrunn i Troms "
                 "og Finnmark",
                 "Lærere og ungdomsarbeidere"),
        results=("Åtte dialogkvelder i fire kommuner med til sammen minst 300 deltakere",
                 "Et undervisningsopplegg om hets og rasisme er delt med minst 20 skoler"),
        granted=140_000, paid="09.05.2022",
        caseworker="Sigrid Bakke", approver=IMDI_LEADER,
    ),
    case(
        "foreldre", "nb", number="22/00170-3", vedtak="delvis innvilget", decided="26.04.2022",
        reference="2022-0105",
        title="Foreldre i dialog – trygg oppvekst i to kulturer",
        kind="project", goals="A, C", requested=600_000, budget=800_000,
        applied="17.01.2022", start="01.05.2022", end="31.12.2022",
        targets=("Foreldre med innvandrerbakgrunn i Agder",
                 "Barn og unge 10–18 år i familiene"),
        results=("Tolv foreldregrupper med til sammen minst 150 deltakere",
                 "Minst 20 frivillige foreldreveiledere har fått opplæring"),
        granted=350_000, reasons=("unrealistic-budget",),
        reason_text="Budsjettet har høye kostnader til reiser og innleide foredragsholdere "
        "sammenlignet med antallet deltakere. Vi har innvilget midler til foreldregruppene, "
        "men ikke til de regionale konferansene.",
        paid="09.05.2022",
        caseworker="Hamid Rahimi", approver=IMDI_LEADER,
    ),
    case(
        "more", "nn", number="22/00176-2", vedtak="innvilga", decided="26.04.2022",
        reference="2022-0150",
        title="Arbeidsnorsk i praksis – språktrening på arbeidsplassen",
        kind="project", goals="B", requested=160_000, budget=240_000, applied="24.01.2022",
        start="01.05.2022", end="31.12.2022",
        targets=("Vaksne innvandrarar i språkpraksis i lokale verksemder",
                 "Tilsette som er språkmentorar"),
        results=("25 deltakarar har fullført språkpraksis med mentor",
                 "Minst 10 verksemder har inngått avtale om språkmentor"),
        granted=160_000,
        conditions=("Verksemdene som er med i prosjektet, skal ikkje få del i tilskotet.",),
        paid="09.05.2022", report="15.02.2023",
        caseworker="Eirik Tveit", approver=IMDI_LEADER,
    ),
    case(
        "lesesirkel", "nb", number="22/00181-3", vedtak="delvis innvilget",
        decided="26.04.2022", reference="2022-0093",
        title="Lær norsk sammen – leseombud for voksne innvandrere",
        kind="project", goals="B", requested=350_000, budget=420_000, applied="13.01.2022",
        start="01.05.2022", end="31.12.2022",
        targets=("Voksne innvandrere som har fullført opplæringen i norsk",
                 "Frivillige leseombud"),
        results=("40 lesesirkler med til sammen minst 250 deltakere",
                 "Minst 60 leseombud har fått opplæring"),
        granted=200_000, reasons=("limited-funds",),
        reason_text="Vi har innvilget midler til leseombudene i Innlandet og Trøndelag i 2022, "
        "men ikke til utvidelsen til flere fylker.",
        paid="09.05.2022",
        caseworker="Linn Kristoffersen", approver=IMDI_SENIOR,
    ),
    case(
        "romsdal", "nn", number="22/00187-2", vedtak="avslag", decided="26.04.2022",
        reference="2022-0177",
        title="Opprusting av gapahukar og merking av turstiar i Romsdal",
        kind="project", goals="A", requested=120_000, budget=150_000, applied="31.01.2022",
        start="01.06.2022", end="31.10.2022",
        targets=("Alle som går tur i Romsdal",),
        results=("Fire gapahukar er rusta opp og 20 km sti er merkt",),
        reasons=("outside-goals",),
        reason_text="Søknaden gjeld i hovudsak opprusting av anlegg og merking av stiar og "
        "har ikkje aktivitetar retta mot målgruppene i ordninga.",
        caseworker="Eirik Tveit", approver=IMDI_LEADER,
    ),
    case(
        "skien", "nb", number="22/00193-4", vedtak="avslag", decided="10.05.2022",
        title="Kvinner i arbeid – mentorprogram i Grenland",
        kind="project", goals="B", requested=90_000, budget=130_000, applied="21.02.2022",
        start="01.06.2022", end="31.12.2022",
        targets=("Kvinner med innvandrerbakgrunn som står utenfor arbeidslivet",),
        results=("20 mentorpar", "Minst 8 deltakere i arbeid eller utdanning ved årets slutt"),
        reasons=("late-application",),
        reason_text="Søknaden ble sendt inn 21. februar 2022, etter søknadsfristen.",
        caseworker="Linn Kristoffersen",
    ),
    case(
        "kia", "nb", number="22/00198-2", vedtak="innvilget", decided="10.05.2022",
        reference="2022-0128",
        title="Jobbmentor for kvinner med innvandrerbakgrunn",
        kind="project", goals="B", requested=100_000, budget=175_000, applied="21.01.2022",
        start="01.06.2022", end="31.12.2022",
        targets=("Kvinner med innvandrerbakgrunn i Drammen og omegn",
                 "Frivillige mentorer fra lokalt arbeids- og næringsliv"),
        results=("30 mentorpar er etablert", "Minst 12 deltakere har fått jobb eller "
                 "begynt på utdanning innen utgangen av 2022"),
        granted=100_000, paid="23.05.2022",
        caseworker="Sigrid Bakke", approver=IMDI_LEADER,
    ),
    case(
        "hallingdal", "nn", number="22/00204-3", vedtak="avslag", decided="10.05.2022",
        reference="2022-0166",
        title="Norsk på fjellet – språkkafé og arbeidstrening i Hallingdal",
        kind="project", goals="B", requested=300_000, budget=380_000, applied="27.01.2022",
        start="01.06.2022", end="31.12.2022",
        targets=("Vaksne innvandrarar i Hallingdal", "Arbeidssøkjande innvandrarar"),
        results=("Språkkafé kvar veke med minst 15 deltakarar",
                 "Minst 12 deltakarar i arbeidstrening i reiselivsverksemder"),
        reasons=("limited-funds",),
        reason_text="Vi fekk òg søknader om språktrening saman med arbeidstrening i "
                    "reiselivet frå tre andre stader. Dei når fleire deltakarar for kvar "
                    "krone, og vi har prioritert dei.",
        caseworker="Marte Øvrebø", approver=IMDI_SENIOR,
    ),
    case(
        "ungdom", "nb", number="22/00211-2", vedtak="avslag", decided="10.05.2022",
        reference="2022-0182",
        title="Fellesskapsuka 2022",
        kind="project", goals="A", requested=220_000, budget=310_000, applied="31.01.2022",
        start="01.09.2022", end="30.11.2022",
        targets=("Ungdom",),
        results=("En vellykket uke",),
        reasons=("unclear-goals", "unclear-target-groups", "weak-plan"),
        reason_text="Søknaden beskriver aktivitetene, men ikke hvem som skal delta eller "
        "hvordan resultatene skal måles.",
        caseworker="Hamid Rahimi", approver=IMDI_LEADER,
    ),
    case(
        "nordfjord", "nn", number="22/00217-3", vedtak="delvis innvilga", decided="24.05.2022",
        reference="2022-0139",
        title="Samling for frivillige vertar i norskkafear på Vestlandet",
        kind="measure", goals="B", requested=40_000, budget=55_000, applied="26.01.2022",
        start="01.09.2022", end="30.09.2022",
        targets=("Frivillige vertar i norskkafear på Vestlandet",),
        results=("Minst 35 frivillige frå minst 12 norskkafear deltek",
                 "Ein felles idébank for norskkafear er publisert på nett"),
        granted=25_000, reasons=("limited-funds",),
        reason_text="Vi har løyvd midlar til sjølve samlinga, men ikkje til reisestøtte for "
        "deltakarane.",
        paid="07.06.2022", report="01.12.2022",
        caseworker="Marte Øvrebø", approver=IMDI_SENIOR,
    ),
    case(
        "idrett", "nb", number="22/00223-2", vedtak="delvis innvilget", decided="24.05.2022",
        reference="2022-0117",
        title="Trenerløftet – kvalifisering av trenere med innvandrerbakgrunn",
        kind="project", goals="B", requested=220_000, budget=290_000, applied="19.01.2022",
        start="01.06.2022", end="31.12.2022",
        targets=("Unge voksne med innvandrerbakgrunn som vil bli trenere",
                 "Idrettslag i Rogaland og Agder"),
        results=("40 deltakere har fullført trenerkurs 1",
                 "Minst 25 deltakere har fått trenerverv eller deltidsjobb i et idrettslag"),
        granted=150_000, reasons=("unrealistic-budget",),
        reason_text="Utgiftene til utstyr er ikke godt nok begrunnet i søknaden, og vi har "
        "ikke innvilget denne delen av budsjettet.",
        paid="07.06.2022",
        caseworker="Sigrid Bakke", approver=IMDI_LEADER,
    ),
    case(
        "voss", "nn", number="22/00229-4", vedtak="innvilget", decided="24.05.2022",
        reference="2022-0160",
        title="Dialogmøte om tru, tradisjon og tilhøyrsle",
        kind="measure", goals="A", requested=30_000, budget=42_000, applied="25.01.2022",
        start="01.09.2022", end="31.10.2022",
        targets=("Trussamfunn, innvandrarar og andre innbyggjarar på Voss og i nabokommunane",),
        results=("Minst 80 deltakarar på dialogmøtet",
                 "Ein rapport med røynslene frå møtet er delt med andre kulturlag"),
        granted=30_000, paid="07.06.2022", report="15.12.2022",
        caseworker="Marte Øvrebø", approver=IMDI_LEADER,
    ),
    case(
        "sostre", "nb", number="22/00235-2", vedtak="innvilget", decided="24.05.2022",
        reference="2022-0124",
        title="Helsevenner – samtaler om kjønnslemlestelse og helse",
        kind="project", goals="C", requested=180_000, budget=260_000, applied="20.01.2022",
        start="01.06.2022", end="31.12.2022",
        targets=("Kvinner og jenter fra land der kjønnslemlestelse er utbredt",
                 "Menn og fedre i de samme miljøene"),
        results=("Minst 20 samtalegrupper med til sammen 160 deltakere",
                 "Ti frivillige helsevenner har fått opplæring"),
        granted=180_000,
        conditions=("Samtalelederne skal ha fått opplæring fra et regionalt kompetansemiljø "
                    "før gruppene starter.",),
        paid="07.06.2022",
        caseworker="Linn Kristoffersen", approver=IMDI_SENIOR,
    ),
]
# fmt: on

# decisions-with-errors.csv: the first 20 cases, with three mistakes a caseworker makes.
ERROR_ROWS = 20


def _typo_org_number(data: Data) -> None:
    number = data["organisation"]["org_number"]
    data["organisation"]["org_number"] = number[:-1] + str((int(number[-1]) + 1) % 10)


def _typo_granted(data: Data) -> None:
    data["decision"]["amount_granted"] = 410_000  # 140 000 requested, digits swapped


def _typo_sub_goal(data: Data) -> None:
    data["application"]["sub_goals"] = ["D"]


MISTAKES: dict[str, tuple[str, Callable[[Data], None]]] = {
    "22/00146-3": ("organisation number fails MOD11", _typo_org_number),
    "22/00163-2": ("granted more than requested", _typo_granted),
    "22/00198-2": ("unknown sub-goal D", _typo_sub_goal),
}


# --- Writers ------------------------------------------------------------------

HEADERS = (
    "Saksnummer",
    "Vedtak",
    "Vedtaksdato",
    "Målform",
    "Organisasjonsnummer",
    "Organisasjon",
    "Adresse",
    "Postnummer",
    "Poststed",
    "Kommune",
    "Fylke",
    "Kontaktperson",
    "E-post",
    "Kontonummer",
    "Søknadsnummer",
    "Prosjekt",
    "Type",
    "Delmål",
    "Søkt beløp",
    "Budsjett",
    "Innvilget beløp",
    "Søknadsdato",
    "Prosjektstart",
    "Prosjektslutt",
    "Målgrupper",
    "Resultatmål",
    "Avslagsgrunner",
    "Begrunnelse",
    "Vilkår",
    "Utbetalingsdato",
    "Rapporteringsfrist",
    "Saksbehandler",
    "Godkjent av",
)
AMOUNT_COLUMNS = ("Søkt beløp", "Budsjett", "Innvilget beløp")
DATE_COLUMNS = (
    "Vedtaksdato",
    "Søknadsdato",
    "Prosjektstart",
    "Prosjektslutt",
    "Utbetalingsdato",
    "Rapporteringsfrist",
)


def sheet_values(data: Data) -> dict[str, Any]:
    """One case as the sheet's typed values: dates as date, amounts as int, lists joined."""
    o, a, d = data["organisation"], data["application"], data["decision"]
    rejected = d["kind"] == "rejected"
    return {
        "Saksnummer": d["case_number"],
        "Vedtak": data["_vedtak"],
        "Vedtaksdato": d["date"],
        "Målform": {"nb": "bokmål", "nn": "nynorsk"}[data["language"]],
        "Organisasjonsnummer": o["org_number"],
        "Organisasjon": o["name"],
        "Adresse": o["address"],
        "Postnummer": o["postcode"],
        "Poststed": o["city"],
        "Kommune": o["municipality"],
        "Fylke": o["county"],
        "Kontaktperson": o["contact_person"],
        "E-post": o["email"],
        "Kontonummer": o["bank_account"],
        "Søknadsnummer": a["reference"],
        "Prosjekt": a["title"],
        "Type": {"project": "prosjekt", "measure": "enkelttiltak"}[a["kind"]],
        "Delmål": ", ".join(a["sub_goals"]),
        "Søkt beløp": a["amount_requested"],
        "Budsjett": a["annual_budget"],
        "Innvilget beløp": None if rejected else d["amount_granted"],
        "Søknadsdato": a["date_applied"],
        "Prosjektstart": a["period_start"],
        "Prosjektslutt": a["period_end"],
        "Målgrupper": "; ".join(a["target_groups"]) or None,
        "Resultatmål": "; ".join(a["result_goals"]) or None,
        "Avslagsgrunner": ", ".join(d["reason_codes"]) or None,
        "Begrunnelse": d["reason_text"],
        "Vilkår": "; ".join(d["conditions"]) or None,
        "Utbetalingsdato": d["payment_date"],
        "Rapporteringsfrist": d["report_deadline"],
        "Saksbehandler": d["caseworker"],
        "Godkjent av": d["approver"],
    }


def kroner(value: int, style: int) -> str:
    """Norwegian amount text: "450 000", "kr 450 000" or "450 000,00" (normal spaces)."""
    grouped = f"{value:,}".replace(",", " ")
    return (grouped, f"kr {grouped}", f"{grouped},00")[style]


def csv_row(index: int, data: Data) -> list[str]:
    """The sheet's values as a caseworker types them; the style varies from row to row."""
    values = sheet_values(data)
    style = (0, 1, 0, 2)[index % 4]  # mostly plain, some "kr ...", some ",00"
    cells: list[str] = []
    for header in HEADERS:
        value = values[header]
        if value is None:
            text = ""
        elif header in DATE_COLUMNS:
            text = value.strftime("%d.%m.%Y")
        elif header in AMOUNT_COLUMNS:
            text = kroner(value, style)
        elif header == "Organisasjonsnummer" and index % 3 == 2:
            text = f"{value[:3]} {value[3:6]} {value[6:]}"  # as brreg.no shows it
        elif header == "Kontonummer" and index % 2 == 0:
            text = f"{value[:4]}.{value[4:6]}.{value[6:]}"
        else:
            text = str(value)
        cells.append(text)
    # Some rejections have "0" typed in Innvilget beløp instead of leaving it empty.
    if data["decision"]["kind"] == "rejected" and index % 5 == 4:
        cells[HEADERS.index("Innvilget beløp")] = "0"
    return cells


def make_csv(cases: list[Data]) -> bytes:
    """UTF-8 with BOM, semicolons and CRLF: what Excel's "CSV UTF-8" writes in Norway."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for index, data in enumerate(cases):
        writer.writerow(csv_row(index, data))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def make_xlsx(cases: list[Data]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Vedtak"
    ws.append(HEADERS)
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = Alignment(vertical="top")
    widths = [len(h) for h in HEADERS]
    for row, data in enumerate(cases, start=2):
        values = sheet_values(data)
        for column, header in enumerate(HEADERS, start=1):
            value = values[header]
            cell = ws.cell(row=row, column=column, value=value)
            if header in DATE_COLUMNS:
                cell.number_format = "DD.MM.YYYY"
                shown = 10
            elif header in AMOUNT_COLUMNS:
                cell.number_format = "#,##0"
                shown = len(f"{value:,}") if value is not None else 0
            else:
                cell.number_format = "@"  # keep leading zeros in postcodes and numbers
                shown = len(str(value)) if value is not None else 0
            widths[column - 1] = max(widths[column - 1], shown)
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 10), 60)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    wb.properties.creator = "grantdocs tools/make_samples.py"
    wb.properties.title = "Vedtak – integreringsarbeid i regi av frivillige organisasjoner 2022"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    # openpyxl's save() stamps "modified" with the current time; ExcelWriter does not.
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry stamped FIXED_TIME, so the bytes are reproducible."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def model_data(data: Data) -> Data:
    """The case as model data (no sheet-only keys), None and empty lists left out."""

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: clean(v)
                for k, v in value.items()
                if not k.startswith("_") and v is not None and v != []
            }
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return clean(data)  # type: ignore[no-any-return]


def make_json(cases: list[Data]) -> bytes:
    document = {"schema_version": "1", "cases": [model_data(c) for c in cases]}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


README = """\
# Sample decisions

Synthetic input for grantdocs: decisions on applications to IMDi's 2022 scheme
*Integreringsarbeid i regi av frivillige organisasjoner* (kap. 671, post 71).
Generated by `tools/make_samples.py`; do not edit by hand, change the script and
run `python tools/make_samples.py` (`--check` verifies that the files are current
and valid).

**Everything here is made up**: organisations, people, addresses, e-mail
addresses, organisation numbers, bank account numbers, case numbers and amounts.
The organisation and account numbers pass the MOD11 check digits, but any match
with a real organisation or account is a coincidence.

| File | What it is |
|---|---|
{files}

The cases: {granted} granted (*innvilget*), {partial} partial (*delvis innvilget*) and
{rejected} rejected (*avslag*); {nb} in Bokmål and {nn} in Nynorsk; {projects} projects
and {measures} single measures (*enkelttiltak*). Every case in `decisions.*` has no
errors under `grantdocs.rules`; two rejections have no approver, which is a warning.

## Columns

| Column | Content |
|---|---|
{columns}

## The public sample key

`returns/` holds a grantee's returned accounts workbook. Accounts workbooks are signed
(HMAC-SHA256 over their hidden identifiers, labels and layout notes) with the secret key of
the installation that wrote them, and a return whose signature does not verify is refused.
The sample is signed with this **sample key, which is public and no secret at all**:

    GRANTDOCS_SECRET_KEY=grantdocs-sample-key-PUBLIC-not-a-secret-0001

(`grantdocs.keys.SAMPLE_KEY`). `grantdocs demo` and the test suite use it; to read the
sample yourself, set the variable for that command only:

    GRANTDOCS_SECRET_KEY=grantdocs-sample-key-PUBLIC-not-a-secret-0001 \\
        grantdocs read-accounts samples/returns/22-00133-5_Apen-dor-regnskap.xlsx

Never sign workbooks for real grantees with it: anyone can forge a return under this key.
Without `GRANTDOCS_SECRET_KEY`, grantdocs makes and keeps its own key (README, "Signed
returns and the secret key").
"""

# fmt: off
README_FILES = (
    ("decisions.json",
     '{count} cases, `{{"schema_version": "1", "cases": [...]}}`, nested like '
     "`grantdocs.model.Case`"),
    ("decisions.csv",
     "the same cases as a caseworker's sheet: UTF-8 with BOM, `;`-separated, CRLF, "
     "Norwegian headers, amounts like `450 000`, `kr 450 000` or `450 000,00`, dates like "
     "`15.03.2022`"),
    ("decisions.xlsx",
     "the same cases in the sheet `Vedtak`: date cells, number cells for amounts, bold "
     "frozen header row"),
    ("decisions-with-errors.csv",
     "the first {error_rows} cases in the same format, with three mistakes: {mistakes}"),
)
README_COLUMNS = (
    ("Saksnummer", "our case number, e.g. `22/00123-4`"),
    ("Vedtak", "`innvilget`, `delvis innvilget` or `avslag` (Nynorsk `innvilga`, "
     "`delvis innvilga`)"),
    ("Vedtaksdato", "date of the decision"),
    ("Målform", "`bokmål` or `nynorsk`: the written form of the letter"),
    ("Organisasjonsnummer", "9 digits (MOD11), sometimes written `992 676 507`"),
    ("Organisasjon, Adresse, Postnummer, Poststed", "the applicant and its postal address"),
    ("Kommune, Fylke", "municipality and county (the 2022 counties), for statistics"),
    ("Kontaktperson, E-post", "the applicant's contact"),
    ("Kontonummer", "11 digits (MOD11), sometimes written `1503.46.44109`"),
    ("Søknadsnummer", "the application's number (the applicant's reference); may be empty"),
    ("Prosjekt", "title of the project or measure"),
    ("Type", "`prosjekt` or `enkelttiltak`"),
    ("Delmål", "sub-goals of the scheme: `A`, `B`, `C`, or two like `A, C`"),
    ("Søkt beløp", "amount applied for"),
    ("Budsjett", "the project's annual budget (the scheme's cap is 1 000 000)"),
    ("Innvilget beløp", "amount granted; empty or `0` for a rejection"),
    ("Søknadsdato, Prosjektstart, Prosjektslutt",
     "dates of the application and of the project period"),
    ("Målgrupper, Resultatmål", "lists, items separated by `; `"),
    ("Avslagsgrunner", "reason codes of the scheme separated by `, `, "
     "e.g. `unrealistic-budget, limited-funds`"),
    ("Begrunnelse", "free-text reasons"),
    ("Vilkår", "extra conditions, separated by `; `"),
    ("Utbetalingsdato", "payment date (grants only)"),
    ("Rapporteringsfrist", "report deadline; empty means the scheme's default "
     "(1 March the year after)"),
    ("Saksbehandler, Godkjent av", "caseworker and approver"),
)
# fmt: on


def make_readme(cases: list[Data]) -> bytes:
    kinds = Counter(c["decision"]["kind"] for c in cases)
    langs = Counter(c["language"] for c in cases)
    app_kinds = Counter(c["application"]["kind"] for c in cases)
    mistakes = []
    for number, (what, _) in MISTAKES.items():
        row = next(i for i, c in enumerate(cases) if c["decision"]["case_number"] == number)
        mistakes.append(f"{what} ({number}, data row {row + 1})")
    fields = {"count": len(cases), "error_rows": ERROR_ROWS, "mistakes": "; ".join(mistakes)}
    files = "\n".join(f"| `{name}` | {text.format(**fields)} |" for name, text in README_FILES)
    columns = "\n".join(f"| {name} | {text} |" for name, text in README_COLUMNS)
    text = README.format(
        files=files,
        columns=columns,
        granted=kinds["granted"],
        partial=kinds["partial"],
        rejected=kinds["rejected"],
        nb=langs["nb"],
        nn=langs["nn"],
        projects=app_kinds["project"],
        measures=app_kinds["measure"],
    )
    return text.encode("utf-8")


def with_errors(cases: list[Data]) -> list[Data]:
    rows = json.loads(json.dumps(cases[:ERROR_ROWS], default=str))  # a deep copy ...
    for original, row in zip(cases[:ERROR_ROWS], rows, strict=True):
        for part in ("application", "decision"):  # ... with the dates kept as dates
            for key, value in original[part].items():
                if isinstance(value, dt.date):
                    row[part][key] = value
        if row["decision"]["case_number"] in MISTAKES:
            MISTAKES[row["decision"]["case_number"]][1](row)
    return rows  # type: ignore[no-any-return]


def build() -> dict[str, bytes]:
    return {
        "decisions.json": make_json(CASES),
        "decisions.csv": make_csv(CASES),
        "decisions.xlsx": make_xlsx(CASES),
        "decisions-with-errors.csv": make_csv(with_errors(CASES)),
        "README.md": make_readme(CASES),
    }


# --- Checks -------------------------------------------------------------------


def check_data() -> list[str]:
    """Check the cases themselves; return the problems found (empty when all is well)."""
    problems: list[str] = []
    scheme = load_scheme()
    numbers = [c["decision"]["case_number"] for c in CASES]
    if len(set(numbers)) != len(numbers):
        problems.append("case numbers are not unique")
    if numbers != sorted(numbers):
        problems.append("cases are not in case-number order")
    for data in CASES:
        ref = data["decision"]["case_number"]
        o, a, d = data["organisation"], data["application"], data["decision"]
        if not orgnr.is_valid(o["org_number"]) or not kontonr.is_valid(o["bank_account"]):
            problems.append(f"{ref}: organisation or account number fails MOD11")
        case_ = Case.model_validate(model_data(data))
        errors = [i for i in check_case(case_, scheme) if i.is_error]
        problems += [f"{ref}: {i.message}" for i in errors]
        if not dt.date(2022, 3, 1) <= d["date"] <= dt.date(2022, 5, 31):
            problems.append(f"{ref}: decision date outside March–May 2022")
        if a["date_applied"] >= d["date"]:
            problems.append(f"{ref}: application not before the decision")
        if d["kind"] != "rejected" and not (d["payment_date"] and d["payment_date"] > d["date"]):
            problems.append(f"{ref}: a grant needs a payment date after the decision")
        if d["report_deadline"] and a["period_end"] and d["report_deadline"] <= a["period_end"]:
            problems.append(f"{ref}: report deadline not after the project end")
        if d["kind"] != "granted" and not d["reason_codes"]:
            problems.append(f"{ref}: a partial grant or rejection without reason codes")
        if d["kind"] == "partial" and not d["reason_text"]:
            problems.append(f"{ref}: a partial grant without a Begrunnelse")

    # The rows of decisions-with-errors.csv: only the intended three fail, each once.
    failing: dict[str, int] = {}
    for data in with_errors(CASES):
        ref = data["decision"]["case_number"]
        try:
            case_ = Case.model_validate(model_data(data))
        except ValidationError as exc:
            failing[ref] = exc.error_count()
            continue
        errors = [i for i in check_case(case_, scheme) if i.is_error]
        if errors:
            failing[ref] = len(errors)
    if failing != dict.fromkeys(MISTAKES, 1):
        problems.append(f"with errors: {failing}, expected one in each of {list(MISTAKES)}")
    return problems


def check_files(files: dict[str, bytes]) -> list[str]:
    """Check the written files: formats, validity, and that the sheets read like the JSON."""
    problems: list[str] = []
    scheme = load_scheme()
    document = json.loads(files["decisions.json"])
    Round.model_validate(document)
    cases = [Case.model_validate(c) for c in document["cases"]]
    for case_ in cases:
        issues = check_case(case_, scheme)
        problems += [f"decisions.json {case_.reference}: {i.message}" for i in issues if i.is_error]

    for name in ("decisions.csv", "decisions-with-errors.csv"):
        raw = files[name]
        if not raw.startswith(b"\xef\xbb\xbf"):
            problems.append(f"{name}: no UTF-8 BOM")
        header = raw[3:].split(b"\r\n", 1)[0].decode("utf-8")
        if header != ";".join(HEADERS):
            problems.append(f"{name}: the header row is not the expected one")

    # The sheets, read by grantdocs' own reader (when present), must give the JSON's cases.
    try:
        from grantdocs.readers.csvfile import read_csv
        from grantdocs.readers.xlsxfile import read_xlsx
    except ImportError:  # pragma: no cover - the reader is not there yet
        print("note: grantdocs.readers.csvfile/xlsxfile not found; sheets not read back")
        return problems
    for name, reader in (("decisions.csv", read_csv), ("decisions.xlsx", read_xlsx)):
        records = list(reader(OUT / name, name))
        read = [r.case for r in records]
        for record in records:
            problems += [f"{name}: {i}" for i in record.errors]
        if read != cases:
            for index, (got, want) in enumerate(zip(read, cases, strict=False)):
                if got != want:
                    problems.append(f"{name}: data row {index + 1} differs from decisions.json")
            if len(read) != len(cases):
                problems.append(f"{name}: {len(read)} rows, expected {len(cases)}")

    # decisions-with-errors.csv: exactly the three intended errors, one per bad row.
    records = list(read_csv(OUT / "decisions-with-errors.csv", "decisions-with-errors.csv"))
    if len(records) != ERROR_ROWS:
        problems.append(f"decisions-with-errors.csv: {len(records)} rows, expected {ERROR_ROWS}")
    bad: dict[str, int] = {}
    for index, record in enumerate(records):
        number = CASES[index]["decision"]["case_number"]
        errors = list(record.errors)
        if record.case is not None:
            errors += [i for i in check_case(record.case, scheme) if i.is_error]
        if errors:
            bad[number] = len(errors)
    if bad != dict.fromkeys(MISTAKES, 1):
        problems.append(
            f"decisions-with-errors.csv: errors in {bad}, expected one in each of {list(MISTAKES)}"
        )
    return problems


def summary() -> str:
    kinds = Counter(c["decision"]["kind"] for c in CASES)
    langs = Counter(c["language"] for c in CASES)
    app_kinds = Counter(c["application"]["kind"] for c in CASES)
    goals = Counter(g for c in CASES for g in c["application"]["sub_goals"])
    two = sum(len(c["application"]["sub_goals"]) > 1 for c in CASES)
    scheme = load_scheme()
    warnings = [
        f"{c['decision']['case_number']}: {i.message}"
        for c in CASES
        for i in check_case(Case.model_validate(model_data(c)), scheme)
        if not i.is_error
    ]
    lines = [
        f"{len(CASES)} cases: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
        "language: " + ", ".join(f"{k} {v}" for k, v in sorted(langs.items())),
        "kind: " + ", ".join(f"{k} {v}" for k, v in sorted(app_kinds.items())),
        "sub-goals: "
        + ", ".join(f"{k} {v}" for k, v in sorted(goals.items()))
        + f" ({two} cases with two)",
        f"warnings ({len(warnings)}):",
        *(f"  {w}" for w in warnings),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; check that samples/ is current and valid",
    )
    args = parser.parse_args(argv)
    files = build()
    problems = check_data()
    if args.check:
        for name, content in files.items():
            path = OUT / name
            if not path.exists() or path.read_bytes() != content:
                problems.append(
                    f"samples/{name} is missing or out of date; run tools/make_samples.py"
                )
    else:
        OUT.mkdir(exist_ok=True)
        for name, content in files.items():
            (OUT / name).write_bytes(content)
            print(f"wrote samples/{name}")
    if not problems:
        problems = check_files(files)
    print(summary())
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
