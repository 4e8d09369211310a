"""The command line through its real entry point: exact output and exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from regiograph.cli import main

ROOT = Path(__file__).resolve().parents[1]

DOC_A = (
    "Samenwerking in Emmen\n\n"
    "De gemeente Emmen, NHL Stenden en Drenthe College slaan de handen ineen in de "
    "Alliantie van Emmen.\n"
)
DOC_B = "Nieuws\n\nIsabelle Diks, wethouder gemeente Leeuwarden, opent het gebouw.\n"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(DOC_A, encoding="utf-8")
    (folder / "b.txt").write_text(DOC_B, encoding="utf-8")
    return folder


@pytest.fixture()
def built(corpus: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_build_prints_the_summary_table(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = invoke("build", str(corpus), "--out", str(out))
    assert result.exit_code == 0
    table, footer = result.stdout.split("\n\n")
    assert table == (
        "built                count\n"
        "-------------------  -----\n"
        "documents read           2\n"
        "documents skipped        0\n"
        "documents extracted      2\n"
        "documents reused         0\n"
        "documents removed        0\n"
        "organisations            5\n"
        "collaborations           1\n"
        "persons                  1\n"
        "memberships              3\n"
        "roles                    1\n"
        "places                   2"
    )
    assert re.fullmatch(
        rf"Graph written to {re.escape(str(out))}/ \(graph\.trig, graph\.ttl, "
        r"store/, cache/, build-report\.json\) in \d+\.\d s \(full build\)\n",
        footer,
    )
    assert sorted(p.name for p in out.iterdir()) == [
        "build-report.json",
        "cache",
        "graph.trig",
        "graph.ttl",
        "store",
    ]
    report = json.loads((out / "build-report.json").read_text())
    assert report["documents"] == ["a.txt", "b.txt"]
    assert result.stderr == ""


def counted(stdout: str) -> dict[str, int]:
    rows = [line.rsplit(None, 1) for line in stdout.split("\n\n")[0].splitlines()[2:]]
    return {name: int(count) for name, count in rows}


def test_a_second_build_reuses_unchanged_documents(built: Path, corpus: Path):
    (corpus / "b.txt").write_text(DOC_B + "Rinske Veenstra, directeur Firda, was er ook.\n")
    result = invoke("build", str(corpus), "--out", str(built))
    assert result.exit_code == 0, result.output
    counts = counted(result.stdout)
    assert (counts["documents extracted"], counts["documents reused"]) == (1, 1)
    assert result.stdout.endswith("(incremental build)\n")
    (corpus / "a.txt").unlink()
    result = invoke("build", str(corpus), "--out", str(built))
    counts = counted(result.stdout)
    assert (counts["documents reused"], counts["documents removed"]) == (1, 1)
    assert counts["collaborations"] == 0
    full = invoke("build", str(corpus), "--out", str(built), "--full")
    assert full.stdout.endswith("(full build)\n")
    assert counted(full.stdout)["documents extracted"] == 1


def test_jobs_gives_the_same_graph(corpus: Path, tmp_path: Path):
    for i in range(20):  # enough documents for worker processes to be used
        (corpus / f"c{i:02d}.txt").write_text(DOC_A.replace("Emmen", f"Emmen {i}"))
    one, two = tmp_path / "one", tmp_path / "two"
    assert invoke("build", str(corpus), "--out", str(one)).exit_code == 0
    result = invoke("build", str(corpus), "--out", str(two), "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert (one / "graph.trig").read_bytes() == (two / "graph.trig").read_bytes()
    bad = invoke("build", str(corpus), "--out", str(two), "--jobs", "0")
    assert bad.exit_code == 2
    assert "Invalid value for '--jobs'" in bad.stderr


def test_bad_inputs_are_skipped_with_one_line_each(corpus: Path, tmp_path: Path):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (corpus / "utf16.txt").write_bytes(b"\xff\xfe\x00\xd8\x00\xdc\x81\x8d\x8f\x90\x9d")
    out = tmp_path / "out"
    result = invoke("build", str(corpus), "--out", str(out))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"Warning: skipped {corpus / 'empty.txt'}: empty file (0 bytes)",
        f"Warning: skipped {corpus / 'image.txt'}: binary content, not text",
        f"Warning: skipped {corpus / 'utf16.txt'}: undecodable (broken UTF-16)",
    ]
    assert counted(result.stdout)["documents skipped"] == 3
    report = json.loads((out / "build-report.json").read_text())
    assert [s["reason"] for s in report["skipped"]] == [
        "empty file (0 bytes)",
        "binary content, not text",
        "undecodable (broken UTF-16)",
    ]


def test_nothing_readable_fails_and_keeps_the_previous_build(built: Path, tmp_path: Path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    before = (built / "graph.ttl").read_bytes()
    result = invoke("build", str(bad), "--out", str(built))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Warning: skipped {bad / 'empty.txt'}: empty file (0 bytes)",
        "Error: no document could be read (1 skipped) "
        "(pass folders or files of .txt, .md, .html, .pdf or .docx)",
    ]
    assert (built / "graph.ttl").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]


def test_strict_makes_a_skip_fatal(corpus: Path, tmp_path: Path):
    (corpus / "empty.txt").write_bytes(b"")
    result = invoke("build", str(corpus), "--out", str(tmp_path / "out"), "--strict")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {corpus / 'empty.txt'}: empty file (0 bytes)\n"
    assert not (tmp_path / "out").exists()


def test_missing_input_is_a_usage_error(tmp_path: Path):
    result = invoke("build", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: input not found: {tmp_path / 'nope'}")


def test_query_ad_hoc_with_a_bound_parameter(built: Path):
    result = invoke(
        "query",
        "--store",
        str(built),
        "-e",
        "SELECT ?part ?label WHERE { ?o skos:prefLabel ?label . "
        "FILTER(CONTAINS(?label, ?part)) } ORDER BY ?label",
        "--param",
        "part=Emmen",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    # the organisations and the municipality (a reference place) whose label has "Emmen"
    assert result.stdout.splitlines() == [
        "part,label",
        "Emmen,Alliantie van Emmen",
        "Emmen,Emmen",
        "Emmen,gemeente Emmen",
    ]


def test_query_parameter_with_quotes_and_braces_is_one_literal(built: Path):
    result = invoke(
        "query",
        "03_partners_of",
        "--store",
        str(built),
        "--param",
        'name=x" } ; DROP ALL ; #',
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 1  # the header only
    again = invoke(
        "query",
        "--store",
        str(built),
        "-e",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a org:Membership }",
        "--format",
        "csv",
    )
    assert again.stdout.splitlines() == ["n", "4"]


def test_saved_query_partners(built: Path):
    result = invoke(
        "query",
        "03_partners_of",
        "--store",
        str(built),
        "--param",
        "name=NHL Stenden",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert sorted(r["partner_label"] for r in rows) == ["Drenthe College", "gemeente Emmen"]


def test_unknown_saved_query_suggests_a_close_name(built: Path):
    result = invoke("query", "03_partner_of", "--store", str(built))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: unknown query '03_partner_of' (did you mean 03_partners_of or "
        "04_partners_of_partners? run `regiograph queries` to list the saved queries)\n"
    )


def test_query_without_a_store_says_how_to_build_one(tmp_path: Path):
    result = invoke("query", "01_most_connected_organisations", "--store", str(tmp_path / "x"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no graph store at {tmp_path / 'x'} "
        "(build one first: regiograph build data/corpus --out build)\n"
    )


def test_query_needs_exactly_one_query(built: Path):
    result = invoke("query", "--store", str(built))
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: give either a query name or file, or -e SPARQL "
        "(run `regiograph queries` to list the saved queries)\n"
    )


def test_bad_param_syntax(built: Path):
    result = invoke("query", "03_partners_of", "--store", str(built), "--param", "name")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --param 'name' is not name=value (write it as --param name=\"NHL Stenden\")\n"
    )


def test_queries_lists_every_saved_query():
    result = invoke("queries")
    assert result.exit_code == 0
    names = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    listed = [line.split()[0] for line in result.stdout.splitlines()[2:]]
    assert listed == names


def test_validate_conforms(built: Path):
    result = invoke("validate", str(built))
    assert result.exit_code == 0
    assert result.stdout == f"{built}: conforms to ontology/shapes.ttl (0 violations)\n"


def test_validate_reports_violations(built: Path):
    trig = (built / "graph.trig").read_text(encoding="utf-8")
    broken = trig.replace("org:classification orgtype:government", 'rdfs:comment "x"', 1)
    assert broken != trig
    (built / "graph.trig").write_text(broken, encoding="utf-8")
    result = invoke("validate", str(built))
    assert result.exit_code == 1
    assert "violation(s) of ontology/shapes.ttl" in result.stdout.splitlines()[0]
    assert "classification" in result.stdout


@pytest.mark.parametrize("fmt", ["ttl", "trig", "nt", "nq", "jsonld"])
def test_export_formats_parse_back(built: Path, fmt: str):
    from rdflib import Dataset

    result = invoke("export", str(built), "--format", fmt)
    assert result.exit_code == 0
    target = built / f"graph.{fmt}"
    assert result.stdout.startswith(f"Wrote {target} (")
    ds = Dataset()
    ds.parse(
        target,
        format={"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}[
            fmt
        ],
    )
    assert len(ds) > 1000


def test_every_command_has_help_and_a_readme_section():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert command.help and len(command.help) > 20, name
        assert f"### `regiograph {name}`" in readme, f"README lacks a section for {name}"
        result = invoke(name, "--help")
        assert result.exit_code == 0
        assert result.stdout.startswith(f"Usage: main {name}")


def test_console_script_and_module_entry_point():
    script = Path(sys.executable).parent / "regiograph"
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout == "regiograph, version 0.1.0\n"
    result = subprocess.run(
        [sys.executable, "-m", "regiograph", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "Usage: python -m regiograph" in result.stdout


def test_viz_writes_an_offline_page(built: Path):
    result = invoke("viz", str(built))
    assert result.exit_code == 0, result.output
    page = (built / "network.html").read_text(encoding="utf-8")
    assert result.stdout.startswith(f"Wrote {built / 'network.html'} (")
    assert "Alliantie van Emmen" in page
    assert 'src="http' not in page and "href=\"http" not in page


def test_viz_focus_by_any_name_and_unknown_focus(built: Path, tmp_path: Path):
    result = invoke("viz", str(built), "--focus", "NHL Stenden", "-o", str(tmp_path / "f.html"))
    assert result.exit_code == 0, result.output
    result = invoke("viz", str(built), "--focus", "Nergens")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no organisation labelled 'Nergens' in the network")


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv", "vosviewer"])
def test_export_network_formats(built: Path, fmt: str):
    result = invoke("export-network", str(built), "--format", fmt)
    assert result.exit_code == 0, result.output
    name = {"graphml": "network.graphml", "gexf": "network.gexf", "csv": "network.nodes.csv",
            "vosviewer": "network.json"}[fmt]
    assert (built / name).exists()
    assert result.stdout.endswith("(3 organisations, 3 ties)\n")  # the alliance is no member
