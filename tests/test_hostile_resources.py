"""Resources are bounded before work starts: workbook dimensions and inflated
sizes are checked before a reader lays a sheet out, draw counts before a
simulation starts, and repeated warnings are summarised."""

import os
import subprocess
import sys
import zipfile

import openpyxl
import pandas as pd
import pytest

from glscore import paths
from glscore.io import guard
from tests.test_bad_input import assert_one_line_error, run_cli
from tests.workbooks import TINY, TINY_MODEL, write_result, write_sota


def far_cell_workbook(path, cell="XFD1048576"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "NLP"
    sheet.append(["No", "Task Name", "Task Short Name", "Metrics", "M"])
    sheet[cell] = 1
    book.save(path)
    return path


def test_a_cell_at_xfd1048576_is_one_line_in_a_subprocess(tmp_path):
    # calamine would allocate 512 GiB and abort the process: the check runs first
    path = far_cell_workbook(tmp_path / "huge.xlsx")
    assert path.stat().st_size < 40_000
    done = subprocess.run([sys.executable, "-m", "glscore", "score", "--results", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "'NLP' spans A1:XFD1048576" in lines[0]
    assert "17,179,869,184 cells" in lines[0]          # 16384 columns x 1048576 rows
    assert "GLSCORE_MAX_SHEET_CELLS" in lines[0]


def test_the_sota_workbook_is_checked_too(tmp_path, capsys):
    result = write_result(tmp_path / "r.xlsx", TINY, {"ModelA": TINY_MODEL})
    sota = far_cell_workbook(tmp_path / "sota.xlsx", "ZZ300000")
    code, _, err = run_cli(capsys, "score", "--results", result, "--sota", sota)
    # ZZ = 26 * 26 + 26 = 702 columns; 702 x 300,000 = 210,600,000 cells
    assert_one_line_error(code, err, "sota.xlsx", "A1:ZZ300000", "210,600,000 cells")


def test_the_limit_can_be_raised(tmp_path, monkeypatch):
    path = far_cell_workbook(tmp_path / "wide.xlsx", "J2000")    # 10 x 2000 = 20,000 cells
    monkeypatch.setenv("GLSCORE_MAX_SHEET_CELLS", "19999")
    with pytest.raises(guard.InputError, match="20,000 cells"):
        guard.check_workbook(path)
    monkeypatch.setenv("GLSCORE_MAX_SHEET_CELLS", "20000")
    guard.check_workbook(path)                                  # at the limit: fine
    monkeypatch.setenv("GLSCORE_MAX_SHEET_CELLS", "lots")
    with pytest.raises(guard.InputError, match="GLSCORE_MAX_SHEET_CELLS='lots'"):
        guard.check_workbook(path)


def zip_bomb(path, part_bytes):
    """A valid result workbook whose shared-strings part is padded with blanks."""
    sota = write_sota(path.with_name("sota_for_bomb.xlsx"), TINY)
    write_result(path, TINY, {"ModelA": TINY_MODEL})
    padded = path.with_name("padded.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * part_bytes, 1)
            out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return sota, padded


def test_a_zip_bomb_is_refused_before_parsing(tmp_path, capsys, monkeypatch):
    sota, bomb = zip_bomb(tmp_path / "r.xlsx", 5_000_000)
    assert bomb.stat().st_size < 100_000                     # 5 MB of blanks compress well
    monkeypatch.setenv("GLSCORE_MAX_INFLATED_BYTES", "1000000")
    code, _, err = run_cli(capsys, "score", "--results", bomb, "--sota", sota)
    assert_one_line_error(code, err, "padded.xlsx", "declare", "above the limit of 1,000,000",
                          "GLSCORE_MAX_INFLATED_BYTES")
    monkeypatch.delenv("GLSCORE_MAX_INFLATED_BYTES")
    code, _, err = run_cli(capsys, "score", "--results", bomb, "--sota", sota, "--json")
    assert code == 0, err                                    # under the default limit: scored


def test_a_part_larger_than_declared_is_refused(tmp_path, capsys):
    _, bomb = zip_bomb(tmp_path / "r.xlsx", 300_000)
    data = bytearray(bomb.read_bytes())
    with zipfile.ZipFile(bomb) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    real = info.file_size.to_bytes(4, "little")
    lie = (1000).to_bytes(4, "little")
    assert data.count(real) >= 2                     # local header and central directory
    bomb.write_bytes(bytes(data).replace(real, lie))
    with pytest.raises(guard.InputError, match=r"not a readable Excel workbook .*sheet1\.xml"):
        guard.check_workbook(bomb)


def test_the_streaming_count_has_its_own_budget(tmp_path, monkeypatch):
    monkeypatch.setenv("GLSCORE_MAX_INFLATED_BYTES", "2000000")
    budget = guard._Budget(tmp_path / "x.xlsx")
    budget.spend(2_000_000)
    with pytest.raises(guard.InputError, match="inflates to more than: 2,000,001 bytes"):
        budget.spend(1)


def ods(path, rows_xml):
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
               '<office:body><office:spreadsheet><table:table table:name="NLP">' + rows_xml
               + '</table:table></office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_ods_repeated_values_are_counted_padding_is_not(tmp_path):
    value = '<table:table-cell office:value-type="float" office:value="1"/>'
    padding = ('<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
               'table:number-columns-repeated="1024"/></table:table-row>')
    # a spreadsheet program pads a sheet with a million empty rows: not counted
    guard.check_workbook(ods(tmp_path / "ok.ods",
                             f"<table:table-row>{value * 5}</table:table-row>{padding}"))
    bomb = ('<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
            'table:number-columns-repeated="16000" office:value-type="float" '
            'office:value="1"/></table:table-row>')
    with pytest.raises(guard.InputError, match="16,777,120,000 cells"):  # 1,048,570 x 16,000
        guard.check_workbook(ods(tmp_path / "bomb.ods", bomb))


def test_parquet_rows_are_bounded_from_the_footer(tmp_path, capsys, monkeypatch):
    path = tmp_path / "r.parquet"
    pd.DataFrame({"model": ["m"] * 50, "task_id": [f"IC-{i:03d}" for i in range(1, 51)],
                  "value": [50.0] * 50}).to_parquet(path)
    monkeypatch.setenv("GLSCORE_MAX_TABLE_ROWS", "49")
    code, _, err = run_cli(capsys, "score", "--results", path)
    assert_one_line_error(code, err, "r.parquet", "50 rows", "GLSCORE_MAX_TABLE_ROWS")


@pytest.mark.parametrize("error", ["#DIV/0!", "#N/A", "#VALUE!", "#REF!"])
def test_excel_error_cells_are_not_read_as_not_supported(tmp_path, capsys, error):
    # calamine reads an error cell as empty; the archive scan finds it
    sota = write_sota(tmp_path / "sota.xlsx", TINY)
    cells = {**TINY_MODEL, "Image-Comprehension": [60.0, error]}
    result = write_result(tmp_path / "r.xlsx", TINY, {"ModelA": cells})
    with zipfile.ZipFile(result) as archive:
        assert b't="e"' in archive.read("xl/worksheets/sheet1.xml")   # stored as an error
    code, _, err = run_cli(capsys, "score", "--results", result, "--sota", sota)
    assert_one_line_error(code, err, "r.xlsx", "sheet 'Image-Comprehension'", "row 3",
                          "column 'ModelA' (E)", f"Excel error '{error}' is not a score")


def test_an_excel_error_in_the_sota_table(tmp_path, capsys):
    sota = write_sota(tmp_path / "sota.xlsx", {**TINY, "NLP": [("qa", "Acc", "#N/A"),
                                                               ("sum", "Acc", 80.0)]})
    result = write_result(tmp_path / "r.xlsx", TINY, {"ModelA": TINY_MODEL})
    code, _, err = run_cli(capsys, "score", "--results", result, "--sota", sota)
    assert_one_line_error(code, err, "sota.xlsx", "sheet 'NLP'", "row 2",
                          "column 'SoTA Performance'", "Excel error '#N/A'")


def test_a_device_a_pipe_or_a_folder_is_no_input_file(tmp_path, capsys):
    fifo = tmp_path / "results.csv"
    os.mkfifo(fifo)                        # reading it would wait for ever
    for path, what in ((fifo, "is not a regular file (a device, a pipe or a socket)"),
                       ("/dev/zero", "is not a regular file"),
                       (tmp_path, "evaluation-harness output: pass --mapping")):
        code, _, err = run_cli(capsys, "score", "--results", path, "--sota", paths.TASKS_CSV)
        assert_one_line_error(code, err, what)
    code, _, err = run_cli(capsys, "score", "--results", "/dev/zero.xlsx")
    assert_one_line_error(code, err, "file not found")
