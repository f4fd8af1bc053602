"""Generate a realistic synthetic corpus of DHR summary pages, seeded and deterministic.

Every review is invented and says so: CSPs are real CSP names (from the bundled DHRD), but
the reviews, deaths and recommendations are SYNTHETIC, for benchmarks and scale tests only,
and are never part of the bundled graph. Recommendations are drawn from templates in the
generic wording real reviews use, addressed to real kinds of bodies with realistic spelling
variants, so extraction, agency resolution, themes, linking and clustering all do real work.

    python scripts/generate_corpus.py --reviews 1000 --out /tmp/corpus           # text pages
    python scripts/generate_corpus.py --reviews 100 --out /tmp/corpus --format json
    python scripts/generate_corpus.py --reviews 100 --out /tmp/corpus --format html

From Python: ``generate(n, seed)`` yields :class:`graph.model.records.Extraction` records.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
from collections.abc import Iterator
from pathlib import Path

from graph.model.records import Extraction, RecommendationRecord, ReviewFacts, Source
from graph.resources import data_dir

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]

# (template, addressee kind): the ask, in the words reviews use.
TEMPLATES: list[tuple[str, str]] = [
    ("{agency} should ensure that a DASH risk assessment is completed at every domestic abuse incident.", "police"),
    ("{agency} should review how information from the control room is passed to attending officers.", "police"),
    ("{agency} should ensure that officers consider coercive and controlling behaviour at every call-out.", "police"),
    ("{agency} should make referrals to MARAC for all victims assessed as high risk.", "police"),
    ("{agency} should use the Domestic Violence Disclosure Scheme (Clare's Law) proactively.", "police"),
    ("{agency} should ensure that stalking and harassment are identified and investigated as a pattern.", "police"),
    ("GP practices should routinely ask patients about domestic abuse when they present with anxiety or depression.",
     "gp"),
    ("{agency} should ensure that reception staff receive domestic abuse awareness training.", "gp"),
    ("{agency} should ensure that domestic abuse is flagged on the patient record and shared with other health "
     "providers.", "gp"),
    ("{agency} should ensure that patients who miss appointments are followed up.", "mental"),
    ("{agency} should ensure that a risk assessment is completed when patients disclose abuse.", "mental"),
    ("{agency} should review its discharge procedures so that a safety plan is in place.", "hospital"),
    ("{agency} should ensure that emergency department staff ask about domestic abuse.", "hospital"),
    ("{agency} should develop a domestic abuse policy and seek DAHA accreditation.", "housing"),
    ("{agency} should ensure that homeless applicants fleeing abuse are offered safe accommodation.", "housing"),
    ("{agency} should ensure that housing officers share concerns with the police and social services.", "housing"),
    ("{agency} should ensure that carers' assessments consider the risk of domestic abuse.", "adults"),
    ("{agency} should ensure that safeguarding enquiries under section 42 of the Care Act are completed.", "adults"),
    ("{agency} should ensure that the voice of the child is recorded in every assessment.", "children"),
    ("{agency} should ensure that perpetrator risk is reassessed when a new relationship begins.", "probation"),
    ("{agency} should refer high-risk perpetrators to MAPPA.", "probation"),
    ("{agency} should screen all service users for domestic abuse.", "substance"),
    ("{agency} should offer joint appointments with mental health services for clients with a dual diagnosis.",
     "substance"),
    ("{agency} should commission a specialist IDVA service for older victims.", "council"),
    ("{agency} should run a public awareness campaign on economic abuse.", "council"),
    ("{agency} should encourage local employers to adopt workplace domestic abuse policies.", "council"),
    ("{agency} should ensure that the learning from this review is disseminated to all partner agencies.", "csp"),
    ("{agency} should monitor the action plan and report progress to the partnership board.", "csp"),
    ("{agency} should write to the Home Office about statutory guidance on domestic homicide reviews.", "csp"),
    ("{agency} should seek assurance that the recommendations of this review are implemented.", "board"),
    ("{agency} should review its multi-agency escalation policy.", "board"),
    ("All agencies should ensure that interpreters are used and family members are not asked to interpret.", "all"),
    ("All agencies should ensure that staff receive training on coercive and controlling behaviour.", "all"),
    ("All agencies should review their information sharing protocols.", "all"),
    ("All agencies should ensure that professionals challenge decisions and escalate concerns.", "all"),
    ("{agency} should review its referral criteria and attendance by health partners.", "idva"),
]

FINDINGS = [
    "Agencies did not share information about the risk the victim faced.",
    "Opportunities to ask about domestic abuse were missed.",
    "Risk assessments were not completed or were not reviewed.",
    "Multi-agency coordination was weak and concerns were not escalated.",
    "Professionals did not recognise coercive and controlling behaviour.",
    "Services did not respond to alcohol misuse and mental health needs together.",
    "Housing and homelessness services were not linked to domestic abuse support.",
    "Record keeping was incomplete across agencies.",
]


def _csps() -> list[str]:
    with (data_dir() / "dhrd" / "incidents.csv").open(encoding="utf-8", newline="") as handle:
        return sorted({row["csp"] for row in csv.DictReader(handle)})


def _variant(name: str, rng: random.Random) -> str:
    """The way reviews misspell or shorten names: most often as printed."""
    roll = rng.random()
    if roll < 0.75:
        return name
    if roll < 0.85:
        return name.replace(" and ", " & ")
    if roll < 0.93 and name.endswith("Service"):
        return name + "s"
    position = rng.randrange(1, max(2, len(name) - 1))
    return name[:position] + name[position + 1:] if name[position].isalpha() else name


def _agencies(csp: str, force: str) -> dict[str, list[str]]:
    return {
        "police": [force, "Police"],
        "gp": ["GP practices", f"{csp} GP Federation"],
        "mental": [f"{csp} Mental Health NHS Foundation Trust", "Mental health services"],
        "hospital": [f"{csp} Hospitals NHS Trust", "Acute hospital trust"],
        "housing": [f"{csp} Homes", f"{csp} Housing Association"],
        "adults": ["Adult Social Care", f"{csp} Adult Social Services"],
        "children": ["Children's Social Care", f"{csp} Children's Services"],
        "probation": ["Probation Service", "National Probation Service"],
        "substance": [f"{csp} Drug and Alcohol Service", "Substance misuse provider"],
        "council": [f"{csp} Borough Council", f"{csp} Council"],
        "csp": [f"{csp} Community Safety Partnership", "CSP"],
        "board": [f"{csp} Safeguarding Adults Board", "Safeguarding Adults Board"],
        "idva": [f"{csp} MARAC", f"{csp} Women's Aid"],
        "all": ["All agencies", "All Agencies", "Multiple Agencies", "all partner agencies"],
    }


def _force_for(csp: str) -> str:
    from graph.enrich.gazetteer import default_gazetteer, normalise_name

    for org in default_gazetteer().organisations.values():
        if org.type == "A01" and normalise_name(csp) in org.areas:
            return org.name
    return f"{csp} Police"


def generate(reviews: int, seed: int = 7) -> Iterator[Extraction]:
    """``reviews`` synthetic reviews, the same for the same seed."""
    rng = random.Random(seed)
    csps = _csps()
    forces: dict[str, str] = {}
    for index in range(reviews):
        csp = rng.choice(csps)
        force = forces.setdefault(csp, _force_for(csp))
        bodies = _agencies(csp, force)
        year = rng.randint(2012, 2023)
        published = f"{year + rng.randint(1, 3)}-{rng.randint(1, 12):02d}"
        recommendations: list[RecommendationRecord] = []
        counters: dict[str, int] = {}
        for _ in range(rng.randint(5, 60)):
            template, kind = rng.choice(TEMPLATES)
            label = _variant(rng.choice(bodies[kind]), rng)
            counters[label] = counters.get(label, 0) + 1
            text = template.format(agency=label if not label.islower() else label.capitalize())
            recommendations.append(RecommendationRecord(str(counters[label]), text, [label]))
        summary = "SYNTHETIC review for benchmarks. " + " ".join(rng.sample(FINDINGS, 3))
        key = f"synthetic-{seed}-{index:05d}"
        yield Extraction(
            source=Source(f"{key}.txt", hashlib.sha256(key.encode()).hexdigest(), "summary-text"),
            review=ReviewFacts(csp=csp, published=published, year_of_death=year, summary=summary,
                               declared_recommendations=len(recommendations),
                               title=f"SYNTHETIC {csp} review {index}"),
            recommendations=recommendations,
        )


def page_text(extraction: Extraction) -> str:
    """A plain-text summary page of a record, in the layout of the real pages."""
    facts = extraction.review
    year, month = (facts.published or "2020-01").split("-")
    rows = "".join(
        f"| {r.number} | {r.text} | {' | '.join(r.addressed_to)} |\n" for r in extraction.recommendations)
    return (
        "About this page. SYNTHETIC summary page generated for benchmarks; not a real review.\n"
        f"Source · Domestic Homicide Review\n{facts.title}\n"
        f"CSP: {facts.csp}\nPublished: {MONTHS[int(month) - 1]} {year}\nYear of death: {facts.year_of_death}\n"
        f"Extracted: {len(extraction.recommendations)} recs\nSummary\n{facts.summary}\n"
        f"Extracted recommendations\n| # | Recommendation | Addressed to |\n|---|---|---|\n{rows}"
    )


def page_html(extraction: Extraction) -> str:
    """The same page as saved HTML."""
    from html import escape

    facts = extraction.review
    rows = "".join(
        f"<tr><td>{escape(r.number or '')}</td><td>{escape(r.text)}</td>"
        f"<td>{'<br>'.join(escape(a) for a in r.addressed_to)}</td></tr>" for r in extraction.recommendations)
    year, month = (facts.published or "2020-01").split("-")
    return (
        f"<html><body><p>SYNTHETIC summary page generated for benchmarks.</p><h1>{escape(facts.title or '')}</h1>"
        f"<p>CSP: {escape(facts.csp or '')}</p><p>Published: {MONTHS[int(month) - 1]} {year}</p>"
        f"<p>Year of death: {facts.year_of_death}</p><p>Extracted: {len(extraction.recommendations)} recs</p>"
        f"<h2>Summary</h2><p>{escape(facts.summary or '')}</p><table><tr><th>#</th><th>Recommendation</th>"
        f"<th>Addressed to</th></tr>{rows}</table></body></html>"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reviews", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--format", choices=("text", "html", "json"), default="text")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for index, extraction in enumerate(generate(args.reviews, args.seed)):
        name = f"synthetic-{args.seed}-{index:05d}"
        if args.format == "json":
            (args.out / f"{name}.json").write_text(json.dumps(extraction.to_json(), indent=1), encoding="utf-8")
        elif args.format == "html":
            (args.out / f"{name}.html").write_text(page_html(extraction), encoding="utf-8")
        else:
            (args.out / f"{name}.txt").write_text(page_text(extraction), encoding="utf-8")
    print(f"wrote {args.reviews} synthetic review(s) to {args.out}")


if __name__ == "__main__":
    main()
