"""Encodings, right on real text: the Western single-byte encodings (short
files above all, where detection fails), UTF-16, UTF-8 with a paragraph of
cp1252 (read, with a warning naming the file), and the other scripts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from decode_corpus import ENCODINGS, build
from newsbrief.sources import load
from newsbrief.sources.decode import decode

# Sentences written for these tests.
WESTERN = {
    "cp1252": "The mayor said the bridge “must close” — and the café’s owner agreed.",
    "latin-1": "Le maire a déclaré que le café fermerait à cause des travaux.",
    "mac-roman": "The council’s “final” vote — on Tuesday — closed the café.",
    "utf-16": "Der Bürgermeister sagte, die Brücke müsse schließen.",
}
OTHER_SCRIPTS = [
    ("cp1251", "Президент заявил во вторник, что переговоры о мосте продолжатся на следующей неделе."),
    ("cp1253", "Ο πρωθυπουργός δήλωσε την Τρίτη ότι η γέφυρα θα κλείσει για έξι μήνες."),
    ("shift_jis", "市議会は火曜日、古い橋を六か月間閉鎖することを決めたと当局者が明らかにした。"),
    ("gbk", "市议会周二投票决定关闭旧桥六个月进行维修，官员表示。"),
    ("euc-kr", "시의회는 화요일 오래된 다리를 6개월 동안 폐쇄하기로 결정했다고 관리들이 밝혔다."),
    ("cp1250", "Rada miasta zdecydowała we wtorek, że stary most zostanie zamknięty na sześć miesięcy."),
]


@pytest.mark.parametrize("encoding", sorted(WESTERN))
def test_short_western_files(tmp_path, encoding):
    """One sentence: cp1252 and latin-1 were read as cp1250 ('à' -> 'ŕ'), Mac Roman as anything."""
    text = WESTERN[encoding]
    got = load(_write(tmp_path / "a.txt", text.encode(encoding)))
    assert not got.errors and not got.warnings
    assert got.articles[0].raw == text


def test_a_name_with_an_accent_is_not_read_as_cjk():
    """Two accented bytes side by side made a CJK character ('Kisly嫜') of a Western text."""
    text = "Ambassador Sergey Kislyak met Jeff Sessions twice, said José Núñez of the committee."
    assert decode(text.encode("cp1252")) == text


# Sentences written for these tests: an accented capital opens the text (short, and
# medium: a few more sentences after it) or starts a name inside a sentence.
ACCENTED_CAPITALS = [
    "À demain, a dit le maire devant la façade de la mairie.",
    "Ça suffit, a répondu le ministre.",
    "Élodie Martin said the council would meet again on Friday.",
    "Ñoño, the old ferry, left the harbour at dawn.",
    "Österreich beat Spain 2-1 on Sunday night.",
    "À l'hôtel de ville, les élus ont voté la fermeture du pont. The mayor said the bridge would stay shut"
    " until spring. Engineers found cracks in two of its piers last year. Residents will be offered a"
    " free bus service while the repairs go on.",
    "Émile Durand, the ferry's captain, said the crossing was calm. The harbour master agreed. Passengers"
    " were told to expect delays on Monday.",
    "Çatalhöyük reopened to visitors on Tuesday. The site had been closed since March for repairs to its"
    " roof. Officials expect record numbers this summer.",
    "The prize went to Ángel Ruiz of Seville on Thursday.",
    "Fans of Österreich cheered as the team landed in Vienna.",
    "The firm, Çelik Holding, denied the report.",
    "The ferry from Århus was late again on Monday, the operator said.",
]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
@pytest.mark.parametrize("text", ACCENTED_CAPITALS, ids=lambda text: text[:20])
def test_accented_capitals_are_western(tmp_path, encoding, text):
    """A capital opening a sentence cost as much as a Mac Roman quote read as
    cp1252, and a DOS or other rare code page then won ('\u2514 bient\u02d8t', '\u2026mile',
    '\u00aba va', '\u0173sterreich' as cp775, 'said \u00a1ngel' as Mac Roman)."""
    got = load(_write(tmp_path / "a.txt", text.encode(encoding)))
    assert not got.errors and not got.warnings
    assert got.articles[0].raw == text


def test_a_real_dos_file_is_still_read(tmp_path):
    """A DOS code page is still taken when the Western reading clearly is
    wrong: 'Z\ufffdrich' (a byte cp1252 leaves undefined), 'd\u201aclar\u201a'."""
    text = "Le maire de Zürich a déclaré que le café fermerait lundi."
    got = load(_write(tmp_path / "dos.txt", text.encode("cp850")))
    assert got.articles[0].raw == text


@pytest.mark.parametrize("encoding, text", OTHER_SCRIPTS)
def test_other_scripts_still_found(encoding, text):
    assert decode(text.encode(encoding)) == text


def test_utf8_with_a_cp1252_paragraph_is_read_with_a_warning(tmp_path):
    """The cp1252 paragraph made the whole file Mac Roman; now only its bytes are cp1252."""
    utf8 = "The café’s owner said the bridge “must close” this week.\n"
    pasted = "The mayor’s office — in a statement — agreed on Tuesday.\n"
    f = _write(tmp_path / "mixed.txt", utf8.encode() + pasted.encode("cp1252") + utf8.encode())
    got = load(f)
    assert got.articles[0].raw == utf8 + pasted + utf8
    assert [(w.source, w.reason) for w in got.warnings] == [
        (str(f), "mixed encoding: 1 paragraph(s) not UTF-8, read as cp1252")]


def test_cli_prints_the_mixed_encoding_warning(tmp_path):
    utf8 = "The city council voted on Tuesday to close the old bridge, the café’s owner said.\n"
    pasted = "Engineers found cracks during an inspection last spring — the mayor’s office said.\n"
    f = _write(tmp_path / "mixed.txt", utf8.encode() + pasted.encode("cp1252"))
    out = subprocess.run([sys.executable, "-m", "newsbrief", "brief", str(f), "--no-analysis", "--format", "md"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert f"newsbrief: warning: {f}: mixed encoding: 1 paragraph(s) not UTF-8, read as cp1252" in out.stderr
    assert "mayor’s office" in out.stdout


def test_real_articles_in_five_encodings(tmp_path, shared):
    """At least 50 real articles per encoding, half of them short, come back
    exactly (the lossy encodings: as much of the article as they can hold)."""
    corpus = build(shared, per_kind=30)
    for encoding in ENCODINGS:
        items = corpus[encoding]
        assert len(items) >= 50 and sum(name.endswith("short") for name, _, _ in items) >= 25, encoding
        folder = tmp_path / encoding
        for name, data, _ in items:
            _write(folder / f"{name}.txt", data)
        got = load(folder)
        assert not got.errors, got.errors[:3]
        read = {Path(a.path).stem: a.raw for a in got.articles}
        wrong = [name for name, _, expected in items if read[name] != expected]
        assert not wrong, (encoding, wrong)
        warned = sorted(Path(w.source).stem for w in got.warnings)
        assert warned == (sorted(name for name, _, _ in items) if encoding == "mixed" else []), encoding


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
