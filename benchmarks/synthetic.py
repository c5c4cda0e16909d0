"""Seeded generator of a synthetic IP5-like graph at a chosen size, for the scale benchmarks.

Why: the real graph is a few thousand triples; users need to know how cost grows as it gains
years, offices, staff and programmes. This writes a graph in the project's own ontology (same
classes, properties, IRI patterns and file split as graph_data/) so that `--data DIR` loads it
and every named query has answers on it. It is test data, not facts: the comments and sources
say so, and it is never written into graph_data/.

Shape of the data: "forum" 0 is IP5 itself with the project's fixed IRIs (offices, forums,
associations, working groups, heads meetings heads-2007 ... heads-2025, the seed documents'
people), so that the queries' default parameters hit; further forums are synthetic co-operations of
five offices each with the same structure (heads, deputies and staff with tenures, heads,
deputy heads, industry and working-group meetings with participations, initiatives and outcome
documents, sources with tiers, inferred ordinals, conflicts between ranked statements), and the
graph grows in breadth: per-node degree stays the same at every size. Every fact triple has its
ip5:Statement (ontology/STATEMENTS.md) in statements-<file>.ttl, stated in a source of its node.
Forum 0 is always whole, so the smallest graph has about 43,000 triples; above that forums stop
unit by unit (a meeting, a year's outcomes) before the target and source records fill the last few
hundred triples, so the size lands within 7 triples of the target.

Written with plain string formatting (no rdflib) so that a million triples take about 2 seconds.
`--format nt` writes N-Triples, still named *.ttl (N-Triples is Turtle), so `--data DIR` reads it.

    python benchmarks/synthetic.py --triples 100000 --out /tmp/syn100k [--seed 5] [--format ttl|nt]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta

ID = "https://w3id.org/ip5graph/id/"
PREFIXES: dict[str, str] = {
    "ip5": "https://w3id.org/ip5graph/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "qb": "http://purl.org/linked-data/cube#",
}
# One prefix per IRI kind, so that data IRIs can be written as prefixed names in Turtle.
KINDS = (
    "office",
    "forum",
    "organization",
    "association",
    "working-group",
    "meeting",
    "person",
    "place",
    "tenure",
    "participation",
    "initiative",
    "document",
    "aim",
    "source",
    "statement",
    "conflict",
    "org-name",
    "name-change",
    "share",
    "observation",
    "dataset",
    "period",
    "unit",
    "role",
    "format",
    "kind",
    "tier",
    "rank",
)
for _k in KINDS:
    PREFIXES[_k] = f"{ID}{_k}/"

# The file split of graph_data/ (by subject), so that a synthetic directory looks like the real one.
FILES = (
    "application-shares",
    "heads-addendum",
    "initiatives",
    "meetings",
    "meetings-addendum",
    "names",
    "organizations",
    "participations-heads-meetings",
    "participations-other-meetings",
    "people",
    "places",
    "sources-addendum",
    "sources-encyclopedic",
    "sources-official",
    "sources-secondary",
    "statistics-cnipa-jpo",
    "statistics-conflicts",
    "statistics-epo-kipo-uspto",
    "statistics-ip5",
    "statistics-world",
    "tenure-lines",
    "tenures",
    "working-groups",
)
# Fact files whose triples get one ip5:Statement each (ontology/STATEMENTS.md), and where those go:
# statements-X.ttl, or -1/-2 alternately where graph_data/ splits a big statements file in two.
STATEMENT_FILES = {
    "application-shares": ("statements-application-shares",),
    "heads-addendum": ("statements-heads-addendum",),
    "initiatives": ("statements-initiatives",),
    "meetings": ("statements-meetings",),
    "meetings-addendum": ("statements-meetings-addendum",),
    "names": ("statements-names",),
    "organizations": ("statements-organizations",),
    "participations-heads-meetings": ("statements-participations-heads-meetings",),
    "participations-other-meetings": ("statements-participations-other-meetings",),
    "people": ("statements-people",),
    "places": ("statements-places",),
    "tenure-lines": ("statements-tenure-lines-1", "statements-tenure-lines-2"),
    "tenures": ("statements-tenures",),
    "working-groups": ("statements-working-groups-1", "statements-working-groups-2"),
}
FILES = tuple(sorted(FILES + tuple(f for fs in STATEMENT_FILES.values() for f in fs)))
NOT_FACTS = frozenset(("a", "rdfs:label", "rdfs:comment", "dcterms:source"))
SOURCE_FILE = {"off": "sources-official", "2nd": "sources-secondary", "wiki": "sources-encyclopedic"}

# The IP5 heads meetings of the brief: year -> ordinal (no meeting in 2009).
HEADS_YEARS = [2007, 2008] + list(range(2010, 2026))
INDUSTRY_YEARS = [2012, 2014, 2015, 2016, 2019, 2021, 2023, 2024]
DEPUTY_YEARS = [2014, 2015, 2016, 2019, 2022]
ONLINE_YEARS = {2020, 2021, 2022}
TENURE_SPAN = (date(1996, 1, 1), date(2026, 12, 31))

LANG_OF_REGION = {"Japan": "ja", "China": "zh", "Korea": "ko", "United States": None, "Europe": None}
REGIONS = ("Japan", "United States", "Europe", "China", "Korea")

# Name parts per region: (romanised, native script or "").
FAMILY = {
    "Japan": [
        ("Sato", "佐藤"),
        ("Suzuki", "鈴木"),
        ("Takahashi", "高橋"),
        ("Tanaka", "田中"),
        ("Watanabe", "渡辺"),
        ("Ito", "伊藤"),
        ("Yamamoto", "山本"),
        ("Nakamura", "中村"),
        ("Kobayashi", "小林"),
        ("Kato", "加藤"),
        ("Yoshida", "吉田"),
        ("Yamada", "山田"),
        ("Sasaki", "佐々木"),
        ("Matsumoto", "松本"),
        ("Inoue", "井上"),
        ("Kimura", "木村"),
    ],
    "China": [
        ("Wang", "王"),
        ("Li", "李"),
        ("Zhang", "张"),
        ("Liu", "刘"),
        ("Chen", "陈"),
        ("Yang", "杨"),
        ("Huang", "黄"),
        ("Zhao", "赵"),
        ("Wu", "吴"),
        ("Zhou", "周"),
        ("Xu", "徐"),
        ("Sun", "孙"),
        ("Ma", "马"),
        ("Zhu", "朱"),
        ("Hu", "胡"),
        ("Guo", "郭"),
    ],
    "Korea": [
        ("Kim", "김"),
        ("Lee", "이"),
        ("Park", "박"),
        ("Choi", "최"),
        ("Jung", "정"),
        ("Kang", "강"),
        ("Cho", "조"),
        ("Yoon", "윤"),
        ("Jang", "장"),
        ("Lim", "임"),
        ("Han", "한"),
        ("Oh", "오"),
        ("Seo", "서"),
        ("Shin", "신"),
        ("Kwon", "권"),
        ("Song", "송"),
    ],
    "United States": [
        (n, "")
        for n in (
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Jones",
            "Miller",
            "Davis",
            "Wilson",
            "Anderson",
            "Taylor",
            "Thomas",
            "Moore",
            "Martin",
            "Jackson",
            "White",
            "Harris",
        )
    ],
    "Europe": [
        (n, "")
        for n in (
            "Müller",
            "Dubois",
            "Rossi",
            "García",
            "Jansen",
            "Nowak",
            "Silva",
            "Novák",
            "Lindqvist",
            "Papadopoulos",
            "Horvat",
            "Murphy",
            "Weber",
            "Moreau",
            "Costa",
            "Virtanen",
        )
    ],
}
GIVEN = {
    "Japan": [
        ("Haruki", "春樹"),
        ("Yuki", "由紀"),
        ("Kenji", "健二"),
        ("Naoko", "直子"),
        ("Hiroshi", "浩"),
        ("Akira", "明"),
        ("Makoto", "誠"),
        ("Emi", "恵美"),
        ("Takeshi", "武"),
        ("Yoko", "洋子"),
        ("Satoshi", "聡"),
        ("Keiko", "恵子"),
    ],
    "China": [
        ("Wei", "伟"),
        ("Fang", "芳"),
        ("Min", "敏"),
        ("Jing", "静"),
        ("Lei", "磊"),
        ("Qiang", "强"),
        ("Yan", "艳"),
        ("Jun", "军"),
        ("Hua", "华"),
        ("Ping", "平"),
        ("Gang", "刚"),
        ("Lina", "丽娜"),
    ],
    "Korea": [
        ("Minjun", "민준"),
        ("Seoyeon", "서연"),
        ("Jihoon", "지훈"),
        ("Jiwoo", "지우"),
        ("Hyunwoo", "현우"),
        ("Soojin", "수진"),
        ("Dongho", "동호"),
        ("Eunji", "은지"),
        ("Youngsoo", "영수"),
        ("Mikyung", "미경"),
        ("Sungmin", "성민"),
        ("Hyejin", "혜진"),
    ],
    "United States": [
        (n, "")
        for n in (
            "James",
            "Mary",
            "Robert",
            "Patricia",
            "John",
            "Jennifer",
            "Michael",
            "Linda",
            "David",
            "Susan",
            "Karen",
            "Daniel",
        )
    ],
    "Europe": [
        (n, "")
        for n in (
            "Anna",
            "Luca",
            "Sophie",
            "Jan",
            "Marta",
            "Pierre",
            "Elena",
            "Lars",
            "Ines",
            "Tomás",
            "Benoît",
            "Katarzyna",
        )
    ],
}
EAST_ASIAN = {"Japan", "China", "Korea"}
FOLD = str.maketrans(
    {
        "ü": "u",
        "é": "e",
        "í": "i",
        "á": "a",
        "ó": "o",
        "ô": "o",
        "î": "i",
        "â": "a",
        "ç": "c",
        "ñ": "n",
        "ê": "e",
        "è": "e",
    }
)

CITIES = {
    "Japan": [("tokyo", "Tokyo", "東京"), ("osaka", "Osaka", "大阪"), ("kyoto", "Kyoto", "京都")],
    "United States": [
        ("honolulu", "Honolulu", ""),
        ("cupertino", "Cupertino", ""),
        ("new-orleans", "New Orleans", ""),
        ("alexandria", "Alexandria", ""),
    ],
    "Europe": [
        ("munich", "Munich", ""),
        ("valletta", "Valletta", ""),
        ("porticcio", "Porticcio", ""),
        ("the-hague", "The Hague", ""),
    ],
    "China": [
        ("guilin", "Guilin", "桂林"),
        ("suzhou", "Suzhou", "苏州"),
        ("tianjin", "Tianjin", "天津"),
        ("chengdu", "Chengdu", "成都"),
    ],
    "Korea": [
        ("jeju", "Jeju", "제주"),
        ("busan", "Busan", "부산"),
        ("incheon", "Incheon", "인천"),
        ("seoul", "Seoul", "서울"),
        ("daejeon", "Daejeon", "대전"),
    ],
}
COUNTRY = {
    "Japan": "Japan",
    "United States": "United States",
    "Europe": "Germany",
    "China": "China",
    "Korea": "Republic of Korea",
}

# Forum 0: the fixed IRIs of the brief (slug, abbreviation, English label, region, native label).
IP5_OFFICES = [
    ("jpo", "JPO", "Japan Patent Office", "Japan", "特許庁"),
    ("uspto", "USPTO", "United States Patent and Trademark Office", "United States", ""),
    ("epo", "EPO", "European Patent Office", "Europe", ""),
    ("cnipa", "CNIPA", "China National Intellectual Property Administration", "China", "国家知识产权局"),
    ("kipo", "KIPO", "Korean Intellectual Property Office", "Korea", "특허청"),
]
IP5_ASSOCIATIONS = [
    ("jipa", "JIPA", "Japan Intellectual Property Association", "Japan"),
    ("aipla", "AIPLA", "American Intellectual Property Law Association", "United States"),
    ("ipo", "IPO", "Intellectual Property Owners Association", "United States"),
    ("businesseurope", "BusinessEurope", "BusinessEurope", "Europe"),
    ("ppac", "PPAC", "Patent Protection Association of China", "China"),
    ("kinpa", "KINPA", "Korea Intellectual Property Association", "Korea"),
]
# The seed documents' people, placed at the 14th meeting (23 June 2021) like the seed describes.
SEED_HEADS = {
    "jpo": ("kasutani-toshihide", "Kasutani Toshihide", "糟谷敏秀", "ja", False),
    "epo": ("antonio-campinos", "António Campinos", "", "", False),
    "kipo": ("kim-yongrae", "Kim Yongrae", "김용래", "ko", False),
    "cnipa": ("shen-changyu", "Shen Changyu", "申长雨", "zh", False),
    "uspto": ("drew-hirshfeld", "Drew Hirshfeld", "", "", True),
}
SEED_WIPO_DG = ("daren-tang", "Daren Tang")
SEED_WIPO_DEPUTY = ("lisa-jorgenson", "Lisa Jorgenson")
SEED_DATE = date(2021, 6, 23)

HEAD_TITLE = {
    "Japan": "Commissioner",
    "United States": "Director",
    "Europe": "President",
    "China": "Commissioner",
    "Korea": "Commissioner",
}
INITIATIVE_KINDS = (
    "project",
    "pilot-programme",
    "task-force",
    "service",
    "classification",
    "consultation",
    "foundation-project",
    "policy",
    "website",
)
DOCUMENT_KINDS = ("joint-statement", "roadmap", "publication", "work-plan", "vision")
TOPICS = (
    "work sharing",
    "classification",
    "machine translation",
    "search strategies",
    "examination practice",
    "dossier access",
    "citation data",
    "application format",
    "quality management",
    "emerging technologies",
    "design drawings",
    "assignment recording",
    "statistics",
    "training",
    "sustainability",
    "small enterprises",
)
SOURCE_TYPES = (
    ("off", "official news item"),
    ("off", "official press release"),
    ("2nd", "news agency article"),
    ("2nd", "law firm blog post"),
    ("wiki", "encyclopedia article"),
    ("off", "official report"),
)
WG_SUBJECTS = ("classification", "information technology", "examination")
ORDINAL_SUFFIX = {1: "st", 2: "nd", 3: "rd"}


# The series key (for ip5:previousMeeting/nextMeeting chains) of the meetings held alongside heads meetings.
SERIES = {"ip5:HeadsIndustryMeeting": "industry", "ip5:DeputyHeadsMeeting": "deputy"}


def ordinal(n: int) -> str:
    """1 -> '1st', 12 -> '12th', 22 -> '22nd'."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ORDINAL_SUFFIX.get(n % 10, 'th')}"


def lit(text: str, lang: str = "en") -> str:
    """A language-tagged literal in Turtle/N-Triples syntax."""
    if '"' in text or "\\" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"@{lang}'


def plain(text: str) -> str:
    """An xsd:string literal (written bare: the same term in Turtle and N-Triples)."""
    if '"' in text or "\\" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def typed(value: object, dtype: str) -> str:
    return f'"{value}"^^xsd:{dtype}'


def dlit(d: date, precision: str = "day") -> str:
    """A date at the given precision: xsd:date, xsd:gYearMonth or xsd:gYear."""
    if precision == "year":
        return f'"{d.year:04d}"^^xsd:gYear'
    if precision == "month":
        return f'"{d.year:04d}-{d.month:02d}"^^xsd:gYearMonth'
    return f'"{d.isoformat()}"^^xsd:date'


TRUE = typed("true", "boolean")
FALSE = typed("false", "boolean")


class Writer:
    """Collects subject blocks per output file and counts triples.

    Terms are written as Turtle terms with the prefixes above; for N-Triples they are expanded
    once per distinct term (a dict cache), so both formats cost about the same.
    """

    def __init__(self) -> None:
        self.blocks: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {f: [] for f in FILES}
        self.count = 0
        self.seq = 0
        self.src = ""  # the source of blocks that carry none (a forum's first source)
        self.statements: dict[tuple[str, str, str], tuple[str, list[tuple[str, str]]]] = {}

    def node(self, file: str, subject: str, pairs: list[tuple[str, str]], facts: bool = True) -> None:
        """Add a subject block; in a fact file, with one statement per fact triple, stated in its first source."""
        self.blocks[file].append((subject, pairs))
        self.count += len(pairs)
        targets = STATEMENT_FILES.get(file)
        if not targets or not facts or file == "application-shares":
            return
        src = next((o for p, o in pairs if p == "dcterms:source"), self.src)
        tail = (
            subject.rsplit("/", 1)[-1].rstrip(">").replace(":", "-") if subject[0] == "<" else subject.replace(":", "-")
        )
        out = self.blocks[targets[len(self.blocks[file]) % len(targets)]]
        for p, o in pairs:
            if p in NOT_FACTS:
                continue
            self.seq += 1
            iri = e("statement", f"{tail}-{p.split(':', 1)[1].lower()}-{self.seq}")
            st = [
                ("a", "ip5:Statement"),
                ("rdfs:label", lit(f"Synthetic statement: {p} of {subject}")),
                ("ip5:statementSubject", subject),
                ("ip5:statementProperty", p),
                ("ip5:statementValue", o),
                ("ip5:statedIn", src),
                ("ip5:rank", "rank:normal"),
                ("ip5:inferred", FALSE),
            ]
            out.append((iri, st))
            self.count += len(st)
            self.statements[subject, p, o] = (iri, st)

    def turtle(self, file: str) -> str:
        head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
        parts = [head, "# Synthetic benchmark data (benchmarks/synthetic.py): not facts.\n"]
        for s, pairs in self.blocks[file]:
            body = " ;\n    ".join(f"{p} {o}" for p, o in pairs)
            parts.append(f"\n{s} {body} .\n")
        return "".join(parts)

    def ntriples(self, file: str) -> str:
        cache: dict[str, str] = {"a": f"<{PREFIXES['rdf']}type>"}

        def ex(term: str) -> str:
            got = cache.get(term)
            if got is None:
                got = expand(term)
                cache[term] = got
            return got

        out = []
        for s, pairs in self.blocks[file]:
            es = ex(s)
            for p, o in pairs:
                if o[0] == '"':
                    if "^^" in o:
                        o = ex(o)
                else:
                    o = ex(o)
                out.append(f"{es} {ex(p)} {o} .\n")
        return "".join(out)


def expand(term: str) -> str:
    """A Turtle term (prefixed name, <IRI> or literal) as an N-Triples term."""
    if term[0] == "<":
        return term
    if term[0] == '"':
        value, dtype = term.rsplit("^^", 1)
        return f"{value}^^{expand(dtype)}"
    prefix, local = term.split(":", 1)
    return f"<{PREFIXES[prefix]}{local}>"


def e(kind: str, slug: str) -> str:
    """A data IRI as a Turtle term: a prefixed name, or <...> when the slug starts with a digit."""
    if slug[0].isdigit():
        return f"<{ID}{kind}/{slug}>"
    return f"{kind}:{slug}"


def fold(text: str) -> str:
    """An ASCII slug of a name: 'Benoît Müller' -> 'benoit-muller'."""
    return "-".join(text.lower().translate(FOLD).replace(".", " ").split())


@dataclass
class Person:
    iri: str
    slug: str
    label: str
    region: str


@dataclass
class Tenure:
    iri: str
    person: Person
    org: str
    start: date
    end: date | None
    acting: bool


class Line:
    """The succession of holders of one post, extended lazily as far as the data needs.

    Lazy so that the graph can stop at any year without a large up-front cost: the size then
    lands within a few per cent of the target at every scale.
    """

    def __init__(
        self,
        gen: Generator,
        org: str,
        org_slug: str,
        region: str,
        title: str,
        srcs: list[str],
        fixed: dict[date, tuple[str, str, str, str, bool]] | None,
        what: str,
    ) -> None:
        self.gen, self.org, self.org_slug, self.region = gen, org, org_slug, region
        self.title, self.srcs, self.fixed, self.what = title, srcs, fixed or {}, what
        self.tenures: list[Tenure] = []
        self.next_start: date | None = TENURE_SPAN[0] + timedelta(days=gen.rng.randrange(0, 700))
        self.number = gen.rng.randrange(20, 60)

    def on(self, d: date) -> Tenure:
        """The tenure in force on d (extending the line up to d first)."""
        self.cover(d)
        for t in reversed(self.tenures):
            if t.start <= d:
                return t
        return self.tenures[0]

    def cover(self, d: date) -> None:
        while self.next_start is not None and self.next_start <= d:
            self.next_start = self.gen.add_tenure(self, self.next_start)


@dataclass
class Office:
    iri: str
    abbr: str
    label: str
    region: str
    heads: Line
    deputies: Line
    staff: list[Person] = field(default_factory=list)


class Generator:
    """Builds the graph forum by forum until the target triple count is reached."""

    def __init__(self, target: int, seed: int) -> None:
        self.target = target
        self.rng = random.Random(seed)
        self.w = Writer()
        self.person_slugs: dict[str, int] = {}
        self.places: dict[str, str] = {}
        self.source_seq = 0
        self.wipo_dgs: Line | None = None
        self.wipo_deputies: Line | None = None
        self.anchors: dict[str, str] = {}
        self.cost: dict[str, int] = {}

    # -- shared nodes -------------------------------------------------------------------------
    def sources(self, forum: int, n: int) -> list[str]:
        out = []
        for _ in range(n):
            self.source_seq += 1
            k = self.source_seq
            tier, stype = SOURCE_TYPES[k % len(SOURCE_TYPES)]
            sid = f"X{k}"
            iri = e("source", f"x{k}")
            publisher = ("forum secretariat", "office press desk", "news agency", "law firm", "encyclopedia")[k % 5]
            self.w.node(
                SOURCE_FILE[tier],
                iri,
                [
                    ("a", "ip5:Source"),
                    ("rdfs:label", lit(f"{sid}: synthetic {stype} number {k} of forum {forum}")),
                    ("ip5:sourceId", plain(sid)),
                    ("ip5:address", plain(f"https://example.org/synthetic/{forum}/{k}")),
                    ("ip5:publisher", plain(f"synthetic {publisher} {forum}")),
                    ("ip5:sourceType", plain(stype)),
                    ("ip5:tier", f"tier:{tier}" if tier[0].isalpha() else e("tier", tier)),
                ],
            )
            out.append(iri)
        return out

    def place(self, slug: str, label: str, native: str, region: str, srcs: list[str]) -> str:
        iri = e("place", slug)
        if slug not in self.places:
            self.places[slug] = iri
            pairs = [("a", "ip5:Place"), ("rdfs:label", lit(label))]
            lang = LANG_OF_REGION[region]
            if native and lang:
                pairs.append(("rdfs:label", lit(native, lang)))
            pairs += [
                ("ip5:country", lit(COUNTRY[region])),
                ("rdfs:comment", lit(f"Synthetic place record for {label}.")),
                ("dcterms:source", srcs[0]),
            ]
            self.w.node("places", iri, pairs)
        return iri

    def person(
        self, region: str, srcs: list[str], fixed: tuple[str, str, str, str] | None = None, what: str = "staff member"
    ) -> Person:
        rng = self.rng
        if fixed:
            slug, label, native, lang = fixed
            alt = None
        else:
            fam, fam_n = rng.choice(FAMILY[region])
            giv, giv_n = rng.choice(GIVEN[region])
            if region in EAST_ASIAN:
                label, native, alt = f"{fam} {giv}", fam_n + giv_n, f"{giv} {fam}"
            else:
                label, native, alt = f"{giv} {fam}", "", None
            lang = LANG_OF_REGION[region] or ""
            base = fold(label)
            n = self.person_slugs.get(base, 0) + 1
            self.person_slugs[base] = n
            slug = base if n == 1 else f"{base}-{n}"
        iri = e("person", slug)
        pairs = [("a", "foaf:Person"), ("rdfs:label", lit(label))]
        if native and lang:
            pairs.append(("rdfs:label", lit(native, lang)))
        if alt:
            pairs.append(("skos:altLabel", lit(alt)))
        pairs += [
            ("rdfs:comment", lit(f"Synthetic {what} from {region}, record {slug}.")),
            ("dcterms:source", rng.choice(srcs)),
        ]
        self.w.node("people", iri, pairs)
        return Person(iri, slug, label, region)

    def add_tenure(self, line: Line, start: date) -> date | None:
        """Write the next tenure of a line from `start`; returns where the next one starts."""
        rng = self.rng
        end: date | None = start + timedelta(days=rng.randrange(400, 1900))
        spec = None
        for d, s in line.fixed.items():
            if start <= d < end:  # type: ignore[operator]
                spec = s
        acting = spec[4] if spec else rng.random() < 0.12
        if acting and not spec:
            end = start + timedelta(days=rng.randrange(60, 300))
        if end >= TENURE_SPAN[1]:  # type: ignore[operator]
            end = None  # still in post
        person = self.person(line.region, line.srcs, spec[:4] if spec else None, line.what)
        line.number += 1
        iri = e("tenure", f"{line.org_slug}-{person.slug}")
        line.tenures.append(Tenure(iri, person, line.org, start, end, acting))
        pairs = [
            ("a", "ip5:Tenure"),
            ("rdfs:label", lit(f"{person.label} as {line.title}")),
            ("ip5:holder", person.iri),
            ("ip5:organization", line.org),
            ("ip5:title", lit(("Acting " if acting else "") + line.title)),
            ("ip5:startDate", dlit(start)),
            ("ip5:acting", TRUE if acting else FALSE),
        ]
        if end is not None:
            pairs.append(("ip5:endDate", dlit(end)))
        if not acting and line.what == "head":
            pairs.append(("ip5:ordinal", typed(line.number, "integer")))
        pairs += [
            ("rdfs:comment", lit(f"Synthetic tenure of {person.label} at {line.org_slug}, from {start.isoformat()}.")),
            ("dcterms:source", rng.choice(line.srcs)),
        ]
        self.w.node("tenures", iri, pairs)
        return end

    def observation(
        self, file: str, iri: str, area: str, year: int, measure: str, value: int, unit: str, what: str, src: str
    ) -> None:
        """One figure of the statistics cube (ontology/statistics.ttl), like graph_data/statistics-*.ttl."""
        self.w.node(
            file,
            iri,
            [
                ("a", "qb:Observation"),
                ("rdfs:label", lit(f"{what}, {year}: {value}")),
                ("qb:dataSet", e("dataset", "ip5-statistics")),
                ("qb:measureType", f"ip5:{measure}"),
                (f"ip5:{measure}", typed(value, "integer")),
                ("ip5:refArea", area),
                ("ip5:refPeriod", e("period", str(year))),
                ("ip5:unitMeasure", e("unit", unit)),
                ("ip5:precision", typed(1, "integer")),
                ("dcterms:source", src),
            ],
        )

    # -- a forum ------------------------------------------------------------------------------
    def forum(self, f: int) -> bool:
        """Write forum f; returns False when the target was reached part-way."""
        rng, w = self.rng, self.w
        ip5 = f == 0
        start = w.count
        srcs = self.sources(f, 24)
        w.src = srcs[0]
        tag = "IP5" if ip5 else f"Forum {f}"
        forum = e("forum", "ip5") if ip5 else e("forum", f"x{f}")
        industry = e("forum", "ip5-industry") if ip5 else e("forum", f"x{f}-industry")
        sx = "" if ip5 else f"x{f}-"  # slug prefix of this forum's nodes
        w.node(
            "organizations",
            forum,
            [
                ("a", "ip5:Forum"),
                ("rdfs:label", lit(tag)),
                ("rdfs:label", lit(f"{tag} 五庁", "ja")),
                ("rdfs:label", lit(f"{tag} 五局", "zh")),
                ("ip5:foundingDate", typed(2007, "gYear")),
                ("rdfs:comment", lit(f"Synthetic record of the co-operation forum {tag}.")),
                ("dcterms:source", srcs[0]),
                ("dcterms:source", srcs[1]),
            ],
        )
        w.node(
            "organizations",
            industry,
            [
                ("a", "ip5:Forum"),
                ("rdfs:label", lit(f"{tag} Industry")),
                ("rdfs:comment", lit(f"Synthetic record of the industry group of {tag}.")),
                ("dcterms:source", srcs[2]),
            ],
        )
        for i, subject in enumerate(WG_SUBJECTS, 1):
            w.node(
                "working-groups",
                e("working-group", f"{sx}wg{i}"),
                [
                    ("a", "ip5:WorkingGroup"),
                    ("rdfs:label", lit(f"{tag} WG{i}: {subject}")),
                    ("org:subOrganizationOf", forum),
                    ("rdfs:comment", lit(f"Synthetic working group of {tag} on {subject}.")),
                    ("dcterms:source", srcs[3]),
                ],
            )
        share_date = 2011 + f % 14  # a year of the periods scheme (ontology/statistics.ttl)
        self.observation(
            "application-shares",
            e("share", f"{sx}applications-{share_date}"),
            forum,
            share_date,
            "shareOfWorldApplications",
            70 + f % 25,
            "percent",
            f"{tag} share of worldwide applications",
            srcs[4],
        )
        self.observation(
            "statistics-ip5",
            e("observation", f"{sx}ip5-applications-{share_date}"),
            forum,
            share_date,
            "patentApplications",
            2_000_000 + f * 1000,
            "applications",
            f"{tag} patent applications",
            srcs[5],
        )

        # Offices, with their heads, deputies and staff.
        offices: list[Office] = []
        for i, region in enumerate(REGIONS):
            if ip5:
                slug, abbr, label, _, native = IP5_OFFICES[i]
            else:
                slug, abbr = f"x{f}-o{i + 1}", f"O{f}.{i + 1}"
                label, native = f"Synthetic Patent Office {f}.{i + 1} ({region})", ""
            iri = e("office", slug)
            lang = LANG_OF_REGION[region]
            city = CITIES[region][(f + i) % len(CITIES[region])]
            hq = self.place(city[0], city[1], city[2], region, srcs)
            founded = typed(1880 + (f * 7 + i * 13) % 120, "gYear")
            pairs = [("a", "ip5:PatentOffice"), ("rdfs:label", lit(label))]
            if lang:
                pairs.append(("rdfs:label", lit(native or f"合成特許庁 {f}.{i + 1}", lang)))
            pairs += [
                ("ip5:abbreviation", plain(abbr)),
                ("ip5:region", lit(region)),
                ("ip5:headquarters", hq),
                ("org:memberOf", forum),
                ("ip5:foundingDate", founded),
                ("ip5:website", typed(f"https://example.org/office/{slug}", "anyURI")),
                ("rdfs:comment", lit(f"Synthetic record of the patent office {abbr} of {tag}.")),
                *[("dcterms:source", x) for x in rng.sample(srcs, 2)],
            ]
            w.node("organizations", iri, pairs)
            w.node(
                "names",
                e("org-name", f"{slug}-{fold(abbr)}"),
                [
                    ("a", "ip5:OrganizationName"),
                    ("rdfs:label", lit(f"{label}, {abbr}")),
                    ("ip5:name", lit(label)),
                    ("ip5:abbreviation", plain(abbr)),
                    ("ip5:nameOf", iri),
                    ("ip5:validFrom", founded),
                    ("rdfs:comment", lit(f"Synthetic name record of {abbr}, in use since its founding.")),
                    ("dcterms:source", srcs[0]),
                ],
            )
            self.observation(
                "statistics-cnipa-jpo" if i in (0, 3) else "statistics-epo-kipo-uspto",
                e("observation", f"{slug}-applications-2019"),
                iri,
                2019,
                "patentApplications",
                100_000 + (f * 7919 + i * 104_729) % 1_500_000,
                "applications",
                f"{abbr} patent applications",
                srcs[6],
            )
            fixed = {SEED_DATE: SEED_HEADS[slug]} if ip5 and slug in SEED_HEADS else None
            office = Office(
                iri,
                abbr,
                label,
                region,
                Line(self, iri, slug, region, HEAD_TITLE[region], srcs, fixed, "head"),
                Line(self, iri, slug, region, "Deputy " + HEAD_TITLE[region], srcs, None, "deputy"),
            )
            office.staff = [self.person(region, srcs) for _ in range(6)]
            offices.append(office)
            if i == 4 and f % 3 == 0:  # a renaming, like KIPO's in 2025
                w.node(
                    "organizations",
                    e("name-change", f"{slug}-2025"),
                    [
                        ("a", "ip5:NameChange"),
                        ("rdfs:label", lit(f"Renaming of {abbr}, 2025")),
                        ("ip5:affectedOrganization", iri),
                        ("ip5:previousName", lit(label)),
                        ("ip5:newName", lit(f"Ministry of Intellectual Property {f}")),
                        ("ip5:date", dlit(date(2025, 10, 1))),
                        ("rdfs:comment", lit(f"Synthetic renaming of {abbr}.")),
                        ("dcterms:source", srcs[5]),
                    ],
                )

        associations = []
        for j, (slug, abbr, label, region) in enumerate(
            IP5_ASSOCIATIONS
            if ip5
            else [
                (f"x{f}-a{j + 1}", f"A{f}.{j + 1}", f"Synthetic Industry Association {f}.{j + 1}", r)
                for j, r in enumerate(REGIONS)
            ]
        ):
            iri = e("association", slug)
            w.node(
                "organizations",
                iri,
                [
                    ("a", "ip5:IndustryAssociation"),
                    ("rdfs:label", lit(label)),
                    ("ip5:abbreviation", plain(abbr)),
                    ("ip5:region", lit(region)),
                    ("org:memberOf", industry),
                    ("ip5:foundingDate", typed(1900 + (f + j * 17) % 110, "gYear")),
                    ("rdfs:comment", lit(f"Synthetic industry association {abbr} of {tag}.")),
                    ("dcterms:source", rng.choice(srcs)),
                ],
            )
            associations.append((iri, self.person(region, srcs, what="association representative")))

        wipo = e("organization", "wipo")
        if ip5:
            w.node(
                "organizations",
                wipo,
                [
                    ("a", "ip5:InternationalOrganization"),
                    ("rdfs:label", lit("World Intellectual Property Organization")),
                    ("rdfs:label", lit("世界知识产权组织", "zh")),
                    ("ip5:abbreviation", plain("WIPO")),
                    ("rdfs:comment", lit("Synthetic record of the observer organisation.")),
                    ("dcterms:source", srcs[6]),
                ],
            )
            w.node(
                "organizations",
                e("forum", "trilateral"),
                [
                    ("a", "ip5:Forum"),
                    ("rdfs:label", lit("Trilateral")),
                    ("rdfs:comment", lit("Synthetic record of the predecessor forum.")),
                    ("dcterms:source", srcs[7]),
                ],
            )
            self.wipo_dgs = Line(
                self,
                wipo,
                "wipo",
                "Europe",
                "Director General",
                srcs,
                {SEED_DATE: (SEED_WIPO_DG[0], SEED_WIPO_DG[1], "", "", False)},
                "head",
            )
            self.wipo_deputies = Line(
                self,
                wipo,
                "wipo",
                "United States",
                "Deputy Director General",
                srcs,
                {SEED_DATE: (SEED_WIPO_DEPUTY[0], SEED_WIPO_DEPUTY[1], "", "", False)},
                "deputy",
            )

        # Meetings, year by year; stop when the target is reached.
        prev: dict[str, str] = {}
        deputy_no = 8
        industry_no = 0
        initiatives: list[str] = []
        self.spent("forum", start)
        for k, year in enumerate(HEADS_YEARS, 1):
            if self.full(ip5, f"heads{k == 1}"):
                return False
            before = w.count
            host = offices[(k + 1) % 5]  # the 14th (2021) hosted by the JPO
            mslug = f"{sx}heads-{year}"
            when = SEED_DATE if (ip5 and year == 2021) else date(year, rng.randrange(5, 7), rng.randrange(1, 29))
            heads = self.meeting(
                mslug,
                "ip5:HeadsMeeting",
                f"{ordinal(k)} {tag} heads meeting",
                k,
                when,
                host,
                offices,
                srcs,
                year,
                prev,
                "heads",
                wipo,
            )
            inferred = k in (3, 5, 6, 11, 15)
            if inferred:
                self.inferred(
                    mslug,
                    heads,
                    "ordinal",
                    typed(k, "integer"),
                    srcs,
                    f"Counted from the meetings before and after the {ordinal(k)} one.",
                )
            self.spent(f"heads{k == 1}", before)
            if year in INDUSTRY_YEARS or (not ip5 and year % 2 == 0):
                if self.full(ip5, f"industry{industry_no == 0}"):
                    return False
                before = w.count
                industry_no += 1
                self.industry_meeting(
                    f"{sx}heads-industry-{year}", tag, industry_no, when, host, offices, associations, heads, srcs, prev
                )
                self.spent(f"industry{industry_no == 1}", before)
            if year in DEPUTY_YEARS or (not ip5 and year >= 2012):
                if self.full(ip5, f"deputy{deputy_no == 8}"):
                    return False
                before = w.count
                deputy_no += 1
                self.deputy_meeting(
                    f"{sx}deputy-heads-{year}",
                    tag,
                    deputy_no,
                    when - timedelta(days=rng.randrange(20, 60)),
                    host,
                    offices,
                    heads,
                    srcs,
                    prev,
                )
                self.spent(f"deputy{deputy_no == 9}", before)
            for g in range(3):
                if self.full(ip5, "wg"):
                    return False
                before = w.count
                self.wg_meeting(f"{sx}wg{g + 1}-{year}", tag, g, date(year, 3 + g, 10 + g), offices, srcs)
                self.spent("wg", before)
            if self.full(ip5, "outcomes"):
                return False
            before = w.count
            initiatives += self.outcomes(sx, tag, year, k, heads, host, offices, srcs, initiatives)
            self.spent("outcomes", before)
            if year in (2013, 2020):
                self.conflict(sx, tag, mslug, heads, when, srcs)
            if ip5 and year == 2021:
                self.anchors.update(meeting=heads, office=host.iri, date=when.isoformat())
        lines = [o.heads for o in offices] + [o.deputies for o in offices]
        if ip5 and self.wipo_dgs and self.wipo_deputies:
            lines += [self.wipo_dgs, self.wipo_deputies]
        for line in lines:  # a whole forum has its heads up to now, the last one still in post
            line.cover(TENURE_SPAN[1])
        return not self.full(False, "forum")

    def spent(self, unit: str, before: int) -> None:
        """Record what one unit (a forum's fixed part, a meeting, a year's outcomes) cost, for full()."""
        self.cost[unit] = self.w.count - before

    def full(self, ip5: bool, unit: str) -> bool:
        """Whether one more unit would overshoot the target (forum 0, IP5 itself, is always whole)."""
        return not ip5 and self.w.count + self.cost.get(unit, 400) > self.target

    def meeting(
        self,
        slug: str,
        cls: str,
        label: str,
        number: int,
        when: date,
        host: Office,
        offices: list[Office],
        srcs: list[str],
        year: int,
        prev: dict[str, str],
        series: str,
        wipo: str,
    ) -> str:
        rng, w = self.rng, self.w
        iri = e("meeting", slug)
        online = year in ONLINE_YEARS
        cities = CITIES[host.region]
        city = cities[year % len(cities)]
        place = self.place(city[0], city[1], city[2], host.region, srcs)
        chair = host.heads.on(when)
        precision = "year" if year == 2008 else "month" if year in (2007, 2011) else "day"
        pairs = [
            ("a", cls),
            ("rdfs:label", lit(label)),
            ("rdfs:label", lit(f"第{number}回五庁長官会合" if "heads" in series else label, "ja")),
            ("rdfs:label", lit(f"第{number}次局长会议", "zh")),
            ("rdfs:label", lit(f"제{number}차 청장회의", "ko")),
            ("ip5:ordinal", typed(number, "integer")),
            ("ip5:startDate", dlit(when, precision)),
        ]
        if precision == "day" and rng.random() < 0.5:
            pairs.append(("ip5:endDate", dlit(when + timedelta(days=1))))
            pairs.append(("ip5:seriesStartDate", dlit(when - timedelta(days=2))))
            pairs.append(("ip5:seriesEndDate", dlit(when + timedelta(days=1))))
        if online:
            pairs.append(("ip5:format", "format:videoconference"))
            if year == 2020:
                pairs.append(("ip5:plannedPlace", place))
        else:
            pairs += [("ip5:format", "format:in-person"), ("ip5:place", place)]
        pairs += [("ip5:host", host.iri), ("ip5:chair", chair.person.iri)]
        pairs += self.follow(prev, series, iri)
        pairs += [
            ("rdfs:comment", lit(f"Synthetic {label}, hosted by {host.abbr} in {year}.")),
            *[("dcterms:source", x) for x in rng.sample(srcs, 2)],
        ]
        w.node("meetings", iri, pairs)
        for office in offices:
            t = office.heads.on(when)
            if office is host:
                role = "role:chair"
            elif t.acting:
                role = "role:acting-head-of-delegation"
            else:
                role = "role:head-of-delegation"
            title = ("Acting " if t.acting else "") + HEAD_TITLE[office.region]
            self.participation(slug, iri, t.person, role, office.iri, title, srcs, heads=True)
        if self.wipo_dgs and self.wipo_deputies:
            dg = self.wipo_dgs.on(when).person
            if year >= 2015 and number % 2 == 0 or year == 2021:
                dep = self.wipo_deputies.on(when).person
                self.participation(
                    slug, iri, dep, "role:observer", wipo, "Deputy Director General", srcs, behalf=dg.iri, heads=True
                )
            else:
                self.participation(slug, iri, dg, "role:observer", wipo, "Director General", srcs, heads=True)
        return iri

    def follow(self, prev: dict[str, str], series: str, iri: str) -> list[tuple[str, str]]:
        """Make `iri` the last meeting of `series`; the ip5:previousMeeting pair to put on it.

        The earlier meeting gets ip5:nextMeeting as its own one-triple block (same subject).
        """
        before = prev.get(series)
        prev[series] = iri
        if before is None:
            return []
        self.w.node("meetings", before, [("ip5:nextMeeting", iri)])
        return [("ip5:previousMeeting", before)]

    def series_meeting(
        self,
        slug: str,
        cls: str,
        label: str,
        number: int,
        when: date,
        host: Office,
        chair: str,
        heads: str,
        srcs: list[str],
        prev: dict[str, str],
    ) -> str:
        """A meeting held alongside a heads meeting (industry, deputies): one block, chained into its
        series (`prev`, keyed by the class); its participations are the caller's."""
        iri = e("meeting", slug)
        pairs = [
            ("a", cls),
            ("rdfs:label", lit(label)),
            ("ip5:ordinal", typed(number, "integer")),
            ("ip5:startDate", dlit(when)),
            ("ip5:partOfSeries", heads),
            ("ip5:host", host.iri),
            ("ip5:chair", chair),
        ]
        pairs += self.follow(prev, SERIES[cls], iri)
        pairs += [
            ("rdfs:comment", lit(f"Synthetic {label} in {when.year}.")),
            ("dcterms:source", self.rng.choice(srcs)),
        ]
        self.w.node("meetings", iri, pairs)
        return iri

    def participation(
        self,
        mslug: str,
        meeting: str,
        person: Person,
        role: str,
        org: str,
        capacity: str,
        srcs: list[str],
        behalf: str | None = None,
        heads: bool = False,
    ) -> None:
        pairs = [
            ("a", "ip5:Participation"),
            ("rdfs:label", lit(f"{person.label} at {mslug}")),
            ("ip5:meeting", meeting),
            ("ip5:participant", person.iri),
            ("ip5:role", role),
            ("ip5:representing", org),
        ]
        if behalf:
            pairs.append(("ip5:onBehalfOf", behalf))
        pairs += [("ip5:capacity", lit(capacity)), ("dcterms:source", self.rng.choice(srcs))]
        file = "participations-heads-meetings" if heads else "participations-other-meetings"
        self.w.node(file, e("participation", f"{mslug}-{person.slug}"), pairs)

    def industry_meeting(
        self,
        slug: str,
        tag: str,
        number: int,
        when: date,
        host: Office,
        offices: list[Office],
        associations: list[tuple[str, Person]],
        heads: str,
        srcs: list[str],
        prev: dict[str, str],
    ) -> None:
        label = f"{ordinal(number)} {tag} heads and industry meeting"
        chair = host.heads.on(when).person.iri
        iri = self.series_meeting(slug, "ip5:HeadsIndustryMeeting", label, number, when, host, chair, heads, srcs, prev)
        for office in offices:
            t = office.heads.on(when)
            self.participation(
                slug,
                iri,
                t.person,
                "role:co-chair" if office is host else "role:head-of-delegation",
                office.iri,
                HEAD_TITLE[office.region],
                srcs,
            )
        for assoc, rep in associations:
            self.participation(slug, iri, rep, "role:industry-representative", assoc, "President", srcs)

    def deputy_meeting(
        self,
        slug: str,
        tag: str,
        number: int,
        when: date,
        host: Office,
        offices: list[Office],
        heads: str,
        srcs: list[str],
        prev: dict[str, str],
    ) -> None:
        label = f"{ordinal(number)} {tag} deputy heads meeting"
        chair = host.deputies.on(when).person.iri
        iri = self.series_meeting(slug, "ip5:DeputyHeadsMeeting", label, number, when, host, chair, heads, srcs, prev)
        for office in offices:
            t = office.deputies.on(when)
            self.participation(
                slug,
                iri,
                t.person,
                "role:chair" if office is host else "role:representative",
                office.iri,
                "Deputy " + HEAD_TITLE[office.region],
                srcs,
            )

    def wg_meeting(self, slug: str, tag: str, g: int, when: date, offices: list[Office], srcs: list[str]) -> None:
        iri = e("meeting", slug)
        label = f"{tag} WG{g + 1} meeting {when.year}"
        host = offices[(when.year + g) % 5]
        chair = host.staff[g]
        self.w.node(
            "meetings",
            iri,
            [
                ("a", "ip5:Meeting"),
                ("rdfs:label", lit(label)),
                ("ip5:startDate", dlit(when)),
                ("ip5:host", host.iri),
                ("ip5:chair", chair.iri),
                ("ip5:format", "format:videoconference" if g == 2 else "format:in-person"),
                ("rdfs:comment", lit(f"Synthetic working-group meeting: {label}.")),
                ("dcterms:source", self.rng.choice(srcs)),
            ],
        )
        for office in offices:
            person = office.staff[g] if office is host else office.staff[g + 3 * (when.year % 2)]
            self.participation(
                slug, iri, person, "role:chair" if office is host else "role:participant", office.iri, "Delegate", srcs
            )

    def outcomes(
        self,
        sx: str,
        tag: str,
        year: int,
        k: int,
        heads: str,
        host: Office,
        offices: list[Office],
        srcs: list[str],
        earlier: list[str],
    ) -> list[str]:
        rng, w = self.rng, self.w
        made = []
        for n in range(2):
            kind = INITIATIVE_KINDS[(k + n) % len(INITIATIVE_KINDS)]
            topic = TOPICS[(k * 3 + n) % len(TOPICS)]
            slug = f"{sx}{year}-{fold(topic)}-{n + 1}"
            iri = e("initiative", slug)
            label = f"{tag} {topic} {kind.replace('-', ' ')} ({year})"
            lead = offices[(k + n) % 5]
            start = date(year, 7, 1)
            pairs = [
                ("a", "ip5:Initiative"),
                ("rdfs:label", lit(label)),
                ("rdfs:label", lit(f"{tag} {topic} 事業 {year}", "ja")),
                ("ip5:kind", f"kind:{kind}"),
                ("ip5:leadOffice", lead.iri),
            ]
            if n == 1:
                pairs.append(("ip5:leadOffice", offices[(k + 2) % 5].iri))
            pairs += [("ip5:startDate", dlit(start, "month" if n else "day"))]
            if kind == "pilot-programme":
                pairs.append(("ip5:endDate", dlit(date(year + 2, 7, 1))))
            pairs.append(("ip5:outcomeOf", heads))
            if earlier and n == 1:
                pairs.append(("ip5:relatedTo", rng.choice(earlier)))
            if earlier and kind == "foundation-project":
                pairs.append(("ip5:partOf", earlier[0]))
            pairs += [
                ("rdfs:comment", lit(f"Synthetic initiative on {topic}, led by {lead.abbr}.")),
                ("dcterms:source", rng.choice(srcs)),
            ]
            w.node("initiatives", iri, pairs)
            made.append(iri)
        dkind = DOCUMENT_KINDS[k % len(DOCUMENT_KINDS)]
        dslug = f"{sx}{dkind}-{year}"
        diri = e("document", dslug)
        label = f"{tag} {dkind.replace('-', ' ')} {year}"
        pairs = [
            ("a", "ip5:OutcomeDocument"),
            ("rdfs:label", lit(label)),
            ("rdfs:label", lit(f"{tag} 共同声明 {year}", "ja")),
            ("ip5:kind", f"kind:{dkind}"),
            ("ip5:date", dlit(date(year, 6, 30))),
            ("ip5:outcomeOf", heads),
        ]
        if dkind == "roadmap" and made:
            pairs.append(("ip5:relatedTo", made[0]))
        aims = []
        if dkind == "vision":
            for a in range(1, 5):
                aim = e("aim", f"{dslug}-{a}")
                aims.append(aim)
                pairs.append(("ip5:hasAim", aim))
        pairs += [("rdfs:comment", lit(f"Synthetic outcome document: {label}.")), ("dcterms:source", rng.choice(srcs))]
        w.node("initiatives", diri, pairs)
        for a, aim in enumerate(aims, 1):
            w.node(
                "initiatives",
                aim,
                [
                    ("a", "ip5:Aim"),
                    ("rdfs:label", lit(f"Aim {a} of {label}: {TOPICS[(k + a) % 16]}")),
                    ("ip5:ordinal", typed(a, "integer")),
                    ("rdfs:comment", lit(f"Synthetic aim {a} of the vision {label}.")),
                    ("dcterms:source", rng.choice(srcs)),
                ],
            )
        return made

    def inferred(self, slug: str, entity: str, aspect: str, value: str, srcs: list[str], why: str) -> None:
        """Turn the statement of a fact into an inference: no stating source, two sources it rests on."""
        iri, st = self.w.statements[entity, f"ip5:{aspect}", value]
        st[5:] = [
            ("ip5:inferredFrom", srcs[8]),
            ("ip5:inferredFrom", srcs[9]),
            ("ip5:rank", "rank:normal"),
            ("ip5:inferred", TRUE),
            ("rdfs:comment", lit(f"Synthetic inference. {why}")),
        ]
        self.w.count += 2

    def conflict(self, sx: str, tag: str, mslug: str, meeting: str, when: date, srcs: list[str]) -> None:
        """Two dates of one meeting: the asserted one preferred, the other kept beside it (normal) or deprecated."""
        n = 2 if when.year == 2020 else 1
        cid = f"X{sx.rstrip('-').lstrip('x') or '0'}-C{n}"
        slug = fold(cid)
        a, b = srcs[10 + n], srcs[20 + n]
        day = when + timedelta(days=2)
        other = dlit(day)
        chosen, st = self.w.statements[meeting, "ip5:startDate", dlit(when)]
        st[5:7] = [("ip5:statedIn", a), ("ip5:rank", "rank:preferred")]
        competing = e("statement", f"{slug}-start-date-2")
        self.w.node(
            "meetings-addendum",
            e("conflict", slug),
            [
                ("a", "ip5:Conflict"),
                ("ip5:conflictId", plain(cid)),
                ("rdfs:label", lit(f"{cid}: date of {mslug}")),
                ("ip5:concerns", meeting),
                ("ip5:hasStatement", chosen),
                ("ip5:hasStatement", competing),
                ("rdfs:comment", lit(f"Synthetic conflict: two sources of {tag} give different dates.")),
                ("dcterms:source", a),
                ("dcterms:source", b),
            ],
            facts=False,
        )
        self.w.node(
            "statements-meetings",
            competing,
            [
                ("a", "ip5:Statement"),
                ("rdfs:label", lit(f"{cid}: {mslug} began on {day.isoformat()}")),
                ("ip5:statementSubject", meeting),
                ("ip5:statementProperty", "ip5:startDate"),
                ("ip5:statementValue", other),
                ("ip5:statedIn", b),
                ("ip5:rank", "rank:normal" if n == 2 else "rank:deprecated"),
                ("ip5:inferred", FALSE),
            ],
        )

    def run(self) -> Writer:
        f = 0
        while self.forum(f):
            f += 1
        while self.w.count + 7 <= self.target:  # the last few hundred triples: source records, 7 each
            self.sources(f, 1)
        return self.w


def generate(target: int, seed: int = 5) -> Generator:
    """Build (in memory) a synthetic graph of about `target` triples."""
    g = Generator(target, seed)
    g.run()
    return g


def size_label(count: int) -> str:
    """A graph's size as the benchmarks label it, from the triples it really has (two significant
    digits): 42,713 -> '4.3e4', 99,999 -> '1e5'. Never the size asked for, since the smallest
    graph is about 43,000 triples whatever the target (forum 0 is always whole)."""
    mantissa, exponent = f"{count:.1e}".split("e")
    return f"{float(mantissa):g}e{int(exponent)}"


def write(gen: Generator, out_dir: str, fmt: str = "ttl") -> list[str]:
    """Write the graph_data-like files into out_dir (each via a temp file and rename); returns their paths.

    The files are named *.ttl in both formats (N-Triples is a subset of Turtle), so that
    `ip5graph --data DIR` reads either.
    """
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for name in FILES:
        text = gen.w.turtle(name) if fmt == "ttl" else gen.w.ntriples(name)
        path = os.path.join(out_dir, f"{name}.ttl")  # N-Triples is Turtle too: --data reads *.ttl
        fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=float, default=1e4, help="approximate size (default 1e4)")
    ap.add_argument("--out", required=True, help="directory to write the files into (the graph_data split)")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--format", choices=("ttl", "nt"), default="ttl")
    args = ap.parse_args(argv)
    if args.triples < 1:
        print("synthetic: --triples must be at least 1", file=sys.stderr)
        return 2
    gen = generate(int(args.triples), args.seed)
    try:
        write(gen, args.out, args.format)
    except OSError as exc:
        print(f"synthetic: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"{gen.w.count} triples written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
