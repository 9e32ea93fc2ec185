"""End to end: the cockpit with two models shows each with its own labels, knobs,
headline figures, bars and actors, all from the roles of its Interface sheet, and
opens the model that declares cockpitDefault when the link names none."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from service import create_app
from service.compiler import compile_workbook
from tests.e2e.test_cockpit import CHROMIUM, FLAGS

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = "mkba-1gezin1plan"  # the model that declares cockpitDefault
MINI = ROOT / "tests" / "compiler" / "workbooks" / "mini-mkba.xlsx"  # sorts first, no default

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (apt chromium)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("models")
    (folder / "compiled").mkdir()
    shutil.copy(ROOT / "formulas_spec" / f"{REFERENCE}.xlsx", folder)
    for suffix in (".py", ".json"):  # the module and its data file
        shutil.copy(
            ROOT / "formulas_spec" / "compiled" / f"{REFERENCE}{suffix}", folder / "compiled"
        )
    shutil.copy(MINI, folder)
    compile_workbook(MINI).write(folder / "compiled" / "mini-mkba.py")
    app = create_app({"MODELS_DIR": folder})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def _outputs(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.dataset.output)")


def test_opens_the_declared_default(server: str, browser) -> None:
    page = browser.new_page()
    page.goto(f"{server}/cockpit")
    page.wait_for_selector("#kerncijfers .kerncijfer")
    assert page.input_value("#model") == REFERENCE
    assert "model=" + REFERENCE in page.url
    page.close()


def test_each_model_with_its_own_roles(server: str, browser) -> None:
    page = browser.new_page()
    page.goto(f"{server}/cockpit#model=mini-mkba")
    page.wait_for_selector("table.ledger tbody tr")
    assert page.inner_text("#title") == "Mini MKBA"
    legends = page.eval_on_selector_all("#knobs legend", "els => els.map(e => e.textContent)")
    assert legends == ["Invoer"]  # the group row's label, not the key `inputs`
    assert _outputs(page, "#kerncijfers .kerncijfer") == ["benefits", "costs", "net"]
    actors = page.eval_on_selector_all(
        "table.ledger tbody tr", "els => els.map(e => e.dataset.actor)"
    )
    assert actors == ["gemeente", "zorgverzekeraar"]
    assert page.locator("#chart rect").count() == 3  # a benefit bar, a cost bar, the saldo
    captions = page.eval_on_selector_all("#tables caption", "els => els.map(e => e.textContent)")
    assert captions == ["Uitkomsten", "Wie betaalt, wie profiteert"]

    page.select_option("#model", REFERENCE)
    page.wait_for_function("() => document.querySelectorAll('#chart rect').length === 5")
    headline = _outputs(page, "#kerncijfers .kerncijfer")
    assert len(headline) == 5 and "benefits" not in headline
    assert page.locator("table.ledger tbody tr").count() == 10

    page.click("#lang")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.inner_text("#title") == "SCBA 1-family-1-plan"
    assert "Prevention" in page.eval_on_selector_all(
        "#knobs legend", "els => els.map(e => e.textContent)"
    )
    page.close()
