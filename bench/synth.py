"""A synthetic wire-service archive in the ``claims bulk-load`` line format.

Sentences are composed from parallel English/Arabic word lists (real vocabulary, so the
stemmer, BM25 and the sentence encoder see realistic text): a proposition is (actor, verb,
object, qualifier, time) and its Arabic telling uses the same slots, so the two share a claim
group. Chains have 1-5 hops (speaker, agencies relaying, translating, the publishing outlet);
speakers have spelling variants (aliases the name matcher must fold); documents carry dates.
Deterministic for a seed. Not test data: ``bench/run`` builds it on the fly.
"""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass

ACTORS = [
    ("Iran", "إيران"), ("Russia", "روسيا"), ("Turkey", "تركيا"), ("Egypt", "مصر"), ("Israel", "إسرائيل"),
    ("Saudi Arabia", "السعودية"), ("Qatar", "قطر"), ("the United States", "الولايات المتحدة"), ("China", "الصين"),
    ("the European Union", "الاتحاد الأوروبي"), ("Jordan", "الأردن"), ("Iraq", "العراق"), ("Syria", "سوريا"),
    ("Lebanon", "لبنان"), ("the United Nations", "الأمم المتحدة"), ("France", "فرنسا"), ("Germany", "ألمانيا"),
    ("the United Kingdom", "المملكة المتحدة"), ("the United Arab Emirates", "الإمارات"), ("Oman", "عُمان"),
    ("Kuwait", "الكويت"), ("Algeria", "الجزائر"), ("Morocco", "المغرب"), ("Tunisia", "تونس"), ("Libya", "ليبيا"),
    ("Sudan", "السودان"), ("Yemen", "اليمن"), ("Pakistan", "باكستان"), ("India", "الهند"), ("Japan", "اليابان"),
    ("the central bank", "البنك المركزي"), ("the army", "الجيش"), ("the opposition", "المعارضة"),
    ("the health ministry", "وزارة الصحة"), ("the finance ministry", "وزارة المالية"), ("parliament", "البرلمان"),
]
VERBS = [
    ("will fill", "ستملأ"), ("will expand", "ستوسع"), ("plans to reduce", "تخطط لخفض"), ("has rejected", "رفضت"),
    ("is preparing to sign", "تستعد لتوقيع"), ("will suspend", "ستعلق"), ("has approved", "وافقت على"),
    ("is considering", "تدرس"), ("will resume", "ستستأنف"), ("has doubled", "ضاعفت"), ("will cut", "ستقطع"),
    ("has frozen", "جمدت"), ("will finance", "ستمول"), ("intends to build", "تعتزم بناء"), ("has ended", "أنهت"),
    ("will withdraw from", "ستنسحب من"), ("is negotiating", "تتفاوض على"), ("has restricted", "قيدت"),
    ("will increase", "سترفع"), ("has postponed", "أجلت"), ("will host", "ستستضيف"), ("has banned", "حظرت"),
    ("will support", "ستدعم"), ("has accused the rivals of blocking", "اتهمت المنافسين بعرقلة"),
]
OBJECTS = [
    ("the vacuum left in the region", "الفراغ في المنطقة"), ("oil exports", "صادرات النفط"),
    ("the ceasefire agreement", "اتفاق وقف إطلاق النار"), ("wheat imports", "واردات القمح"),
    ("the nuclear programme", "البرنامج النووي"), ("military aid", "المساعدات العسكرية"),
    ("fuel subsidies", "دعم الوقود"), ("the gas pipeline", "خط أنابيب الغاز"), ("border crossings", "المعابر الحدودية"),
    ("interest rates", "أسعار الفائدة"), ("the peace talks", "محادثات السلام"), ("electricity prices", "أسعار الكهرباء"),
    ("the refugee camps", "مخيمات اللاجئين"), ("the port project", "مشروع الميناء"), ("arms sales", "صفقات الأسلحة"),
    ("the vaccination campaign", "حملة التطعيم"), ("the water dam", "السد المائي"), ("the trade deal", "الاتفاق التجاري"),
    ("foreign investment", "الاستثمار الأجنبي"), ("the election timetable", "الجدول الزمني للانتخابات"),
    ("the reconstruction fund", "صندوق إعادة الإعمار"), ("food exports", "صادرات الغذاء"),
    ("the air defence system", "منظومة الدفاع الجوي"), ("the debt repayments", "سداد الديون"),
    ("naval patrols", "الدوريات البحرية"), ("the sanctions regime", "نظام العقوبات"),
    ("the railway line", "خط السكك الحديدية"), ("public sector wages", "أجور القطاع العام"),
    ("the mining concessions", "امتيازات التعدين"), ("hospital funding", "تمويل المستشفيات"),
]
QUALIFIERS = [
    ("after the withdrawal of foreign troops", "بعد انسحاب القوات الأجنبية"), ("despite strong objections", "رغم اعتراضات قوية"),
    ("under pressure from lenders", "تحت ضغط المقرضين"), ("to calm the markets", "لتهدئة الأسواق"),
    ("in response to the drought", "ردا على الجفاف"), ("as protests spread", "مع اتساع الاحتجاجات"),
    ("following the border clashes", "في أعقاب الاشتباكات الحدودية"), ("with help from its allies", "بمساعدة حلفائها"),
    ("to cover the budget deficit", "لتغطية عجز الموازنة"), ("amid rising inflation", "وسط ارتفاع التضخم"),
    ("before the summit", "قبل القمة"), ("after the talks collapsed", "بعد انهيار المحادثات"),
    ("in the coming weeks", "في الأسابيع المقبلة"), ("by the end of the year", "بحلول نهاية العام"),
    ("without consulting parliament", "دون استشارة البرلمان"), ("to protect local farmers", "لحماية المزارعين المحليين"),
]
TITLES = [("foreign minister", "وزير الخارجية"), ("spokesman", "المتحدث باسم"), ("defence minister", "وزير الدفاع"),
          ("senior official", "مسؤول كبير"), ("economy minister", "وزير الاقتصاد"), ("army commander", "قائد الجيش"),
          ("central bank governor", "محافظ البنك المركزي"), ("opposition leader", "زعيم المعارضة")]
FIRST = ["Hossein", "Ahmad", "Mohammad", "Ali", "Omar", "Khalid", "Yusuf", "Hassan", "Samir", "Nabil", "Karim", "Tariq",
         "Walid", "Rami", "Faisal", "Ibrahim", "Mustafa", "Jamal", "Salim", "Adel", "Maria", "Leila", "Fatima", "Nadia",
         "Sarah", "Elena", "Anna", "John", "Peter", "David", "Michael", "Sergei", "Dmitri", "Wang", "Li", "Kenji"]
LAST = ["Salami", "Karimi", "Haddad", "Mansour", "Nasser", "Khoury", "Rahimi", "Aziz", "Farouk", "Saleh", "Qasim",
        "Hamdan", "Othman", "Bakr", "Yassin", "Darwish", "Shami", "Tamimi", "Zaidi", "Jaber", "Petrov", "Ivanov",
        "Smith", "Miller", "Dubois", "Schmidt", "Rossi", "Tanaka", "Chen", "Novak", "Kowalski", "Larsen"]
AR_FIRST = ["حسين", "أحمد", "محمد", "علي", "عمر", "خالد", "يوسف", "حسن", "سمير", "نبيل", "كريم", "طارق", "وليد",
            "رامي", "فيصل", "إبراهيم", "مصطفى", "جمال", "سليم", "عادل", "ليلى", "فاطمة", "نادية", "سارة"]
AR_LAST = ["سلامي", "كريمي", "حداد", "منصور", "ناصر", "خوري", "رحيمي", "عزيز", "فاروق", "صالح", "قاسم", "حمدان",
           "عثمان", "بكر", "ياسين", "درويش", "الشامي", "التميمي", "الزيدي", "جابر"]
AGENCIES = ["Reuters", "Associated Press", "Agence France-Presse", "Anadolu Agency", "Xinhua", "IRNA", "Tasnim",
            "Fars News Agency", "SANA", "Petra", "Kuna", "WAM", "Interfax", "TASS", "Bloomberg", "Dow Jones"]
AR_AGENCIES = ["وكالة الأنباء الفرنسية", "وكالة رويترز", "وكالة الأناضول", "وكالة إرنا", "وكالة تسنيم", "وكالة سانا",
               "وكالة بترا", "وكالة كونا", "وكالة وام", "وكالة شينخوا"]
OUTLETS = ["The Daily Courier", "Gulf Times Review", "The Levant Herald", "Nile Morning Post", "The Eastern Ledger",
           "Capital Dispatch", "The Harbour Gazette", "Desert Tribune", "The Maghreb Observer", "Atlas Weekly",
           "The Continental", "Metro Wire", "The Global Record", "Bosporus Daily", "The Caspian Chronicle"]
AR_OUTLETS = ["صحيفة الشرق", "جريدة النهار الجديد", "صحيفة الخليج اليوم", "جريدة الوطن العربي", "صحيفة المستقبل",
              "موقع الأخبار المسائية", "صحيفة البيان الجديدة", "جريدة الرأي العام", "صحيفة الأفق", "جريدة المدينة"]
EN_SAY = [("said", "said", "asserted"), ("claimed", "said", "asserted"), ("suggested", "said", "hedged"),
          ("hinted", "said", "hinted"), ("denied", "said", "denied"), ("warned", "said", "asserted")]
AR_SAY = [("قال", "said", "asserted"), ("أكد", "said", "asserted"), ("ألمح", "said", "hinted"),
          ("رجح", "said", "hedged"), ("نفى", "said", "denied"), ("حذر", "said", "asserted")]
FILLER_EN = ["The statement came during a press conference in the capital.",
             "Officials did not give further details.", "Analysts said the move could affect regional markets.",
             "The announcement followed weeks of speculation.", "No timetable was given."]
FILLER_AR = ["جاء التصريح خلال مؤتمر صحفي في العاصمة.", "ولم يقدم المسؤولون مزيدا من التفاصيل.",
             "وقال محللون إن الخطوة قد تؤثر على الأسواق الإقليمية.", "وجاء الإعلان بعد أسابيع من التكهنات."]


def _variant(name: str, rng: random.Random) -> str:
    """A spelling variant of a transliterated name (Hossein/Husein, Salami/Salamy)."""
    swaps = [("ss", "s"), ("ou", "u"), ("o", "u"), ("ei", "ai"), ("y", "i"), ("i", "y"), ("a", "e")]
    for a, b in rng.sample(swaps, len(swaps)):
        idx = name.find(a, 1)
        if idx > 0:
            return name[:idx] + b + name[idx + len(a):]
    return name


@dataclass
class Proposition:
    key: str
    en: str
    ar: str


class Archive:
    def __init__(self, seed: int = 15) -> None:
        self.rng = random.Random(seed)
        self.people_en = [f"{first} {last}" for first in FIRST for last in LAST]
        self.people_ar = [f"{first} {last}" for first in AR_FIRST for last in AR_LAST]
        self.rng.shuffle(self.people_en)
        self.rng.shuffle(self.people_ar)
        self.propositions: list[Proposition] = []

    def proposition(self) -> Proposition:
        r = self.rng
        a, v, o, q = r.randrange(len(ACTORS)), r.randrange(len(VERBS)), r.randrange(len(OBJECTS)), r.randrange(len(QUALIFIERS))
        key = f"p-{a}-{v}-{o}-{q}"
        en = f"{ACTORS[a][0]} {VERBS[v][0]} {OBJECTS[o][0]} {QUALIFIERS[q][0]}"
        ar = f"{ACTORS[a][1]} {VERBS[v][1]} {OBJECTS[o][1]} {QUALIFIERS[q][1]}"
        return Proposition(key, en[0].upper() + en[1:], ar)

    def _speaker(self, lang: str) -> tuple[str, str]:
        r = self.rng
        if lang == "en":
            name = self.people_en[int(r.paretovariate(1.2)) % len(self.people_en)]
            if r.random() < 0.15:
                name = _variant(name, r)
            title = r.choice(TITLES)[0]
            return name, f"{title} {name}"
        name = self.people_ar[int(r.paretovariate(1.2)) % len(self.people_ar)]
        return name, f"{r.choice(TITLES)[1]} {name}"

    def document(self, n: int, *, claims: int) -> dict:
        r = self.rng
        lang = "ar" if r.random() < 0.4 else "en"
        outlet = r.choice(AR_OUTLETS if lang == "ar" else OUTLETS)
        day = datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(minutes=r.randrange(7 * 365 * 1440))
        parts: list[str] = []
        items: list[dict] = []
        title = f"{'تقرير' if lang == 'ar' else 'Report'} {n}: " + (r.choice(ACTORS)[1 if lang == 'ar' else 0])
        parts.append(title + "\n\n")
        pos = len(parts[0])
        for _ in range(claims):
            if self.propositions and r.random() < 0.3:
                prop = r.choice(self.propositions)  # the same proposition told again (a group)
            else:
                prop = self.proposition()
                if len(self.propositions) < 50_000:
                    self.propositions.append(prop)
            speaker, display = self._speaker(lang)
            hops = r.choice([1, 2, 2, 3, 3, 3, 4, 4, 5])
            relays = r.sample(AR_AGENCIES if lang == "ar" else AGENCIES, min(hops - 2, 3)) if hops > 2 else []
            say, rel, modality = r.choice(AR_SAY if lang == "ar" else EN_SAY)
            body = prop.ar if lang == "ar" else prop.en
            if lang == "ar":
                lead = f"{'، '.join('نقلت ' + a for a in relays)}{'، ' if relays else ''}{say} {display} إن "
            else:
                lead = f"{', '.join('as relayed by ' + a for a in relays)}{', ' if relays else ''}{display} {say} that "
                lead = lead[0].upper() + lead[1:]
            sentence = lead + body + ". " + r.choice(FILLER_AR if lang == "ar" else FILLER_EN) + "\n"
            start = pos + len(lead)
            end = start + len(body)
            chain: list[dict]
            if hops == 1:
                chain = [{"source": outlet, "relation": "published", "lang": lang, "modality": modality}]
                speaker = outlet
            else:
                cue_at = pos + lead.find(say)
                chain = [{"source": speaker, "relation": rel, "lang": lang, "modality": modality, "cue": say,
                          "evidence": [cue_at, cue_at + len(say)]}]
                for i, agency in enumerate(relays):
                    relation = "translated" if lang == "ar" and i == 0 and r.random() < 0.5 else "reported"
                    chain.append({"source": agency, "relation": relation, "lang": lang, "modality": "reported"})
                chain.append({"source": outlet, "relation": "published", "lang": lang, "modality": "reported"})
            items.append({"start": start, "end": end, "speaker": speaker, "modality": modality,
                          "stance": "deny" if modality == "denied" else "affirm",
                          "group": prop.key if r.random() < 0.5 else None, "chain": chain})
            parts.append(sentence)
            pos += len(sentence)
        text = "".join(parts)
        return {"document": {"title": title, "lang": lang, "outlet": outlet, "url": f"https://news.example/{n}",
                             "published_at": day.isoformat(), "text": text}, "claims": items}

    def lines(self, claims: int, *, per_document: int = 5) -> Iterator[dict]:
        made, n = 0, 0
        while made < claims:
            k = min(self.rng.randint(max(1, per_document - 3), per_document + 3), claims - made)
            n += 1
            yield self.document(n, claims=k)
            made += k

    def questions(self, n: int = 40, seed: int = 7) -> list[str]:
        """Distinct questions about propositions of the archive, half Arabic, half English."""
        r = random.Random(seed)
        props = r.sample(self.propositions, min(n, len(self.propositions)))
        out = []
        for i, p in enumerate(props):
            out.append(f"Who originally said that {p.en[0].lower() + p.en[1:]}?" if i % 2 else f"من قال إن {p.ar}؟")
        return out


def write(path, claims: int, *, seed: int = 15) -> Archive:
    archive = Archive(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for line in archive.lines(claims):
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    return archive


if __name__ == "__main__":  # pragma: no cover
    import sys

    write(sys.argv[1], int(sys.argv[2]))
