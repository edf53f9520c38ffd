"""The OCR engines, the registry, preprocessing, orientation, and the worker pool's timeout.

The fake engines live in tests/fakes.py (worker processes unpickle them from there).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from extractors.images.preprocess import red_channel, scale_down
from extractors.images.seals import find_seals, whiten_seals
from extractors.ocr import registry
from extractors.ocr.base import (
    PLAIN,
    Capabilities,
    DraftReadingEngine,
    OcrEngine,
    OcrResult,
    filter_ocr_image,
    line_reader,
)
from extractors.ocr.base import WarmingEngine as WarmingProtocol
from extractors.ocr.combined import batches_by_width, default_runtime, recognise
from extractors.ocr.orientation import fix_orientation
from extractors.ocr.pool import OcrPool, read_page
from extractors.ocr.rapidocr import lines_of_boxes, rapidocr_available
from extractors.ocr.registry import (
    UnknownEngine,
    default_engine_name,
    engine_by_name,
    engine_problem,
)
from extractors.ocr.tesseract import join_words
from extractors.runtime.child_process import child_environment
from pipeline.model.reasons import reason_text
from tests.builders.fonts import font
from tests.builders.photo_set import build_photo
from tests.builders.scan_set import (
    certificate_page,
    character_error_rate,
    normalized,
    scan_set,
    scanned,
)
from tests.builders.seals import draw_seal
from tests.fakes import (
    FaultyEngine,
    FixedTextEngine,
    GarbageEngine,
    MarkingEngine,
    RaisingEngine,
    RefusingEngine,
    SleepingEngine,
    WarmingEngine,
)

ROOT = Path(__file__).resolve().parents[1]
needs_rapidocr = pytest.mark.skipif(not rapidocr_available(), reason="rapidocr is not installed")


# --- fake engines -------------------------------------------------------------------------


def test_the_fakes_satisfy_the_engine_protocol() -> None:
    fakes = (RaisingEngine(), GarbageEngine(), SleepingEngine(), MarkingEngine("x"),
             FixedTextEngine(), FaultyEngine(), RefusingEngine())
    assert [isinstance(engine, OcrEngine) for engine in fakes] == [True] * len(fakes)
    assert [(e.name, e.version, e.capabilities) for e in fakes] == [
        (name, "1", PLAIN) for name in ("raising", "garbage", "sleeping", "marking", "fixed",
                                        "faulty", "refuse")]


# --- engines by name ----------------------------------------------------------------------


def test_engines_are_chosen_by_name() -> None:
    assert engine_by_name("tesseract").name == "tesseract"
    assert engine_problem("tesseract") is None
    assert engine_by_name("default").name == default_engine_name()
    with pytest.raises(ValueError):
        engine_by_name("abbyy")


def test_an_unknown_engine_name_is_a_clear_error() -> None:
    with pytest.raises(UnknownEngine, match=r"unknown OCR engine 'abbyy'; known: .*tesseract"):
        engine_by_name("abbyy")


def test_a_registered_engine_is_found_by_name_with_its_options() -> None:
    registry.register("fixed-test", FixedTextEngine)
    try:
        engine = engine_by_name("fixed-test", text="你好", version="7")
        assert engine == FixedTextEngine(text="你好", version="7")
        assert engine_problem("fixed-test") is None
        assert default_engine_name() != "fixed-test"  # "default" stays a real engine
        with pytest.raises(ValueError, match="already registered"):
            registry.register("fixed-test", FixedTextEngine)
    finally:
        registry.unregister("fixed-test")
    with pytest.raises(UnknownEngine):
        engine_by_name("fixed-test")


def test_default_cannot_be_registered_over() -> None:
    with pytest.raises(ValueError):
        registry.register("default", FixedTextEngine)


def test_engines_declare_their_identity() -> None:
    tesseract = engine_by_name("tesseract")
    assert tesseract.version.split()[0][0].isdigit()  # tesseract's own version, e.g. 5.3.0
    assert tesseract.capabilities == Capabilities(orients=False, reads_lines=True)
    assert engine_by_name("tesseract", psm=6).version != tesseract.version  # reads differently
    assert engine_by_name("tesseract", timeout=5).version == tesseract.version


class _LineReading(FixedTextEngine):
    def read_line(self, image: Image.Image) -> OcrResult:
        return OcrResult("一行", 0.9)


def test_a_cut_out_line_goes_to_read_line_only_where_the_engine_declares_it() -> None:
    page = Image.new("RGB", (60, 30), "white")
    assert line_reader(_LineReading(text="整页", capabilities=Capabilities(reads_lines=True)))(page) == "一行"
    assert line_reader(_LineReading(text="整页"))(page) == "整页"  # not declared: read whole
    assert line_reader(FixedTextEngine(text="整页", capabilities=Capabilities(reads_lines=True)))(page) == "整页"


def _one_line(text: str) -> Image.Image:
    """``text`` printed alone, cut to its ink with a little white, as a form cell's line is."""
    image = Image.new("RGB", (60 + 40 * len(text), 80), "white")
    ImageDraw.Draw(image).text((30, 40), text, font=font(34), fill="black", anchor="lm")
    left, top, right, bottom = image.convert("L").point(lambda v: 255 * (v < 128)).getbbox()
    return image.crop((left - 5, top - 5, right + 6, bottom + 6))


@pytest.mark.parametrize("name", ["tesseract", pytest.param("combined", marks=needs_rapidocr)])
def test_engines_read_a_lone_cut_out_line(name: str) -> None:
    engine = engine_by_name(name)
    assert [engine.read_line(_one_line(text)).text for text in ("高级工程师", "士", "副总")] == \
        ["高级工程师", "士", "副总"]


@needs_rapidocr
def test_rapidocr_engines_declare_the_package_version_and_their_settings() -> None:
    import importlib.metadata

    combined, rapid = engine_by_name("combined"), engine_by_name("rapidocr")
    assert combined.version.startswith(importlib.metadata.version("rapidocr") + " ")
    assert rapid.version.startswith(importlib.metadata.version("rapidocr") + " ")
    assert combined.capabilities.orients and not rapid.capabilities.orients
    # the combined engine reads pages decoded down to its recognition side, no further
    assert (combined.capabilities.draft_side, rapid.capabilities.draft_side) == (1600, None)
    assert engine_by_name("combined", rec_side=1280).capabilities.draft_side == 1280
    assert [isinstance(e, DraftReadingEngine) for e in (combined, rapid)] == [True, False]
    assert [isinstance(e, WarmingProtocol) for e in (combined, rapid, engine_by_name("tesseract"))] == [
        True, True, False]
    assert engine_by_name("combined", det_side=512).version != combined.version
    assert engine_by_name("combined", threads=2).version == combined.version


@needs_rapidocr
def test_the_default_engine_is_the_combined_one_when_rapidocr_is_there() -> None:
    assert [engine_problem(n) for n in ("combined", "rapidocr", "tesseract")] == [None] * 3
    assert engine_by_name("rapidocr").name == "rapidocr"
    assert engine_by_name("combined", det_side=512).det_side == 512


def test_engines_compare_by_their_options() -> None:
    """Equal engines share one worker pool."""
    assert engine_by_name("tesseract") == engine_by_name("tesseract")
    assert engine_by_name("tesseract", psm=6) != engine_by_name("tesseract")


# --- preprocessing --------------------------------------------------------------------


def test_red_channel_whitens_a_seal_and_keeps_the_text_under_it() -> None:
    page = Image.new("RGB", (400, 200), (250, 250, 248))
    draw = ImageDraw.Draw(page)
    draw.rectangle((20, 80, 380, 120), fill=(20, 20, 20))  # a black line of "text"
    draw_seal(page, (200, 100), 90, "衡阳市科学技术局")  # the seal's ink over it
    grey = red_channel(page)
    assert grey.mode == "L"
    assert grey.getpixel((200, 100)) < 60  # black under red ink stays black
    assert grey.getpixel((200, 12)) == 255  # the ring turns white
    assert grey.getpixel((5, 5)) == 255  # so does the paper


def test_huge_images_are_scaled_to_4000_px() -> None:
    assert scale_down(Image.new("L", (12000, 3000))).size == (4000, 1000)
    small = Image.new("L", (800, 600))
    assert scale_down(small) is small


def test_words_of_a_line_are_joined_with_spaces_only_between_latin_words() -> None:
    assert join_words(["专利号", "ZL", "2019", "1", "0532178.4"]) == "专利号ZL 2019 1 0532178.4"


def test_boxes_are_put_back_into_lines_on_a_tilted_page() -> None:
    # two lines tilted by ~3°: the right end of line one sits lower than line two's left
    boxes = [
        [(10, 100), (400, 120), (400, 150), (10, 130)],
        [(420, 121), (800, 141), (800, 171), (420, 151)],
        [(10, 150), (400, 170), (400, 200), (10, 180)],
    ]
    assert lines_of_boxes(boxes, ["第一行左", "第一行右", "第二行"]) == ["第一行左 第一行右", "第二行"]


# --- orientation --------------------------------------------------------------------------


def _upright_certificate() -> Image.Image:
    import random

    page = certificate_page("荣誉证书", ["周立衡同志在2023年度工作中成绩突出，被评为衡阳市优秀科技工作者。"
                                       "特发此证，以资鼓励。"], ["衡阳市科学技术协会", "2024年1月8日"],
                            random.Random(3), seal_unit="衡阳市科学技术协会")
    return page.image


@pytest.mark.slow
@pytest.mark.parametrize("turn", [90, 180, 270])
def test_fix_orientation_turns_a_scan_upright(turn: int) -> None:
    import random

    page = scanned(_upright_certificate(), random.Random(turn), rotation=turn)
    upright, degrees = fix_orientation(page)
    assert degrees == turn
    assert upright.width > upright.height  # the landscape certificate lies landscape again


def test_tesseract_is_installed_with_chi_sim_and_osd() -> None:
    """scripts/setup.sh installs them; without them every scan would silently stay
    unread or sideways, so a missing engine or model is an error here, never a skip."""
    import pytesseract

    assert shutil.which("tesseract"), "tesseract is not installed (run scripts/setup.sh)"
    assert {"chi_sim", "osd"} <= set(pytesseract.get_languages(config="")), \
        "tesseract-ocr-chi-sim / tesseract-ocr-osd are not installed (run scripts/setup.sh)"


def test_fix_orientation_leaves_a_page_without_text_alone() -> None:
    """A blank page stays as it is, though OSD works: the same call turns a sideways
    certificate (without Tesseract's osd data both would come back unturned)."""
    import random

    sideways = scanned(_upright_certificate(), random.Random(90), rotation=90)
    assert fix_orientation(sideways)[1] == 90
    blank = Image.new("RGB", (900, 600), "white")
    assert fix_orientation(blank) == (blank, 0)


# --- the engines on real-looking scans ---------------------------------------------------------


def _id_card_image() -> tuple[Image.Image, str]:
    item = scan_set(("id_card",))[0]
    return Image.open(io.BytesIO(item.data)).convert("RGB"), item.id_number


@pytest.mark.slow
def test_tesseract_reads_an_id_number() -> None:
    image, number = _id_card_image()
    result = engine_by_name("tesseract").read(image)
    assert number in result.text.replace(" ", "")
    assert 0 < result.confidence <= 1


@needs_rapidocr
@pytest.mark.slow
def test_the_combined_engine_reads_a_certificate_under_its_seal() -> None:
    # as every page is read: seals whitened by the filter every engine is given, then read
    item = next(i for i in scan_set(("award",)) if i.name.endswith(".jpg") and not i.rotation)
    result = read_page(Image.open(io.BytesIO(item.data)), engine_by_name("combined"))
    assert "荣誉证书" in result.text.replace(" ", "")
    assert character_error_rate(result.text, item.truth) < 0.05
    assert result.rotation == 0


@needs_rapidocr
@pytest.mark.slow
def test_the_combined_engine_turns_an_upside_down_page_itself() -> None:
    item = next(i for i in scan_set(("diploma",)) if i.rotation == 180)
    result = engine_by_name("combined").read(Image.open(io.BytesIO(item.data)))
    assert result.rotation == 180
    assert character_error_rate(result.text, item.truth) < 0.05


@needs_rapidocr
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("unshare") is None, reason="no unshare to cut the network")
def test_rapidocr_reads_with_the_network_cut() -> None:
    """Its models come from the wheel: nothing is downloaded at first use."""
    script = ("from PIL import Image, ImageDraw, ImageFont\n"
              "from extractors.ocr.registry import engine_by_name\n"
              "from tests.builders.fonts import FONT_PATH\n"
              "page = Image.new('RGB', (420, 120), 'white')\n"
              "ImageDraw.Draw(page).text((20, 30), '荣誉证书', font=ImageFont.truetype(FONT_PATH, 56), fill='black')\n"
              "for name in ('rapidocr', 'combined'):\n"
              "    print(name, engine_by_name(name).read(page).text.replace(' ', ''))\n")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("unshare -n is not permitted here")
    done = subprocess.run(["unshare", "-n", sys.executable, "-c", script], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "rapidocr 荣誉证书" in done.stdout and "combined 荣誉证书" in done.stdout


# --- the pool --------------------------------------------------------------------------------


def test_a_page_that_never_returns_times_out_and_the_pool_goes_on() -> None:
    with OcrPool(SleepingEngine(width=777), workers=1, orient=False) as pool:
        start = time.perf_counter()
        stuck = pool.read(Image.new("L", (777, 100), 255), timeout=1.5)
        after = pool.read(Image.new("L", (300, 100), 255), timeout=30)
    assert stuck.text == "" and "超时" in reason_text(stuck.note)
    assert after.text == "page 300x100" and after.note is None  # a fresh worker took over
    assert time.perf_counter() - start < 20


def test_an_engine_error_is_the_page_s_note_not_an_exception() -> None:
    with OcrPool(RaisingEngine(), workers=1, orient=False) as pool:
        result = pool.read(Image.new("L", (100, 100), 255), timeout=30)
    assert result.text == "" and "识别出错" in reason_text(result.note) and "engine exploded" in reason_text(result.note)


def test_a_dead_worker_is_replaced() -> None:
    with OcrPool(GarbageEngine(), workers=1, orient=False) as pool:
        assert pool.read(Image.new("L", (50, 50), 255), timeout=30).text
        for worker in list(pool._all):
            worker.process.kill()
            worker.process.wait()
        assert pool.read(Image.new("L", (50, 50), 255), timeout=30).text == "#@!~ 乱码 ¤¤ 0x0"



def test_a_started_pool_s_workers_are_up_before_the_first_page_and_read_it() -> None:
    """Started while the caller still unpacks the message, the workers load their models
    beside it; the first page goes to one of them, and starting again starts none."""
    with OcrPool(GarbageEngine(), workers=2, orient=False) as pool:
        pool.start()
        started = {worker.process.pid for worker in pool._all}
        assert len(started) == 2 and all(worker.alive() for worker in pool._all)
        assert pool.read(Image.new("L", (50, 50), 255), timeout=30).text == "#@!~ 乱码 ¤¤ 0x0"
        pool.start()
        assert {worker.process.pid for worker in pool._all} == started


def test_a_started_worker_loads_its_engine_s_models_before_any_page_comes(tmp_path: Path) -> None:
    """The models load while the caller still opens the message: on the first page they
    held up each worker by a second (bench/bench_pipeline.py's timeline of issue 22)."""
    marker = tmp_path / "loaded"
    with OcrPool(WarmingEngine(str(marker)), workers=1, orient=False) as pool:
        pool.start()
        deadline = time.monotonic() + 30
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.read_text() == str(next(iter(pool._all)).process.pid)  # no page sent yet
        assert pool.read(Image.new("L", (50, 50), 255), timeout=30).text == "warm"


def test_a_page_is_made_only_once_a_worker_is_free() -> None:
    """However many callers wait, only as many decoded pages as workers are in memory."""
    made: list[float] = []

    def page() -> Image.Image:
        made.append(time.perf_counter())
        return Image.new("L", (300, 100), 255)

    with OcrPool(SleepingEngine(delay=0.5), workers=1, orient=False) as pool:
        pool.read(Image.new("L", (10, 10), 255), timeout=60)  # the worker is started
        with ThreadPoolExecutor(3) as threads:
            results = list(threads.map(lambda _: pool.read(page, timeout=60), range(3)))
    assert [r.text for r in results] == ["page 300x100"] * 3
    made.sort()
    assert all(later - earlier >= 0.45 for earlier, later in zip(made, made[1:]))


def test_a_worker_grown_past_its_memory_limit_is_replaced_after_its_page() -> None:
    page = Image.new("L", (50, 50), 255)
    with OcrPool(GarbageEngine(), workers=1, orient=False) as kept:
        assert kept.read(page, timeout=30).text == "#@!~ 乱码 ¤¤ 0x0"
        assert len(kept._all) == 1  # well under the limit: kept for the next page
    with OcrPool(GarbageEngine(), workers=1, orient=False, max_worker_rss=1) as pool:
        texts = [pool.read(page, timeout=30).text for _ in range(2)]
        assert pool._all == set()  # each worker ended after its page
    assert texts == ["#@!~ 乱码 ¤¤ 0x0"] * 2


def test_a_worker_s_libraries_run_one_thread_each() -> None:
    """Threads per worker × workers ≤ cores: OpenCV in a worker's environment (it takes one
    thread per core by default)."""
    done = subprocess.run([sys.executable, "-c", "import cv2; print(cv2.getNumThreads())"],
                          env=child_environment(), capture_output=True, text=True, timeout=60,
                          check=True)
    assert done.stdout.split() == ["1"]


def test_a_page_that_will_not_render_gets_a_note() -> None:
    def broken() -> Image.Image:
        raise ValueError("bad page")

    with OcrPool(GarbageEngine(), workers=1, orient=False) as pool:
        result = pool.read(broken, timeout=30)
    assert result.text == "" and "页面无法转换为图像（ValueError）" in reason_text(result.note)


# --- colour photos: red kept outside seals, vertical text, batches (issue 14) ----------------


def _photo(category: str, variant: int = 0) -> tuple[Image.Image, str]:
    item = build_photo(category, variant)
    return Image.open(io.BytesIO(item.data)), item.truth


def test_red_is_whitened_only_inside_the_seal() -> None:
    page = Image.new("RGB", (900, 700), (250, 250, 248))
    draw = ImageDraw.Draw(page)
    draw.text((40, 30), "关于推荐人选的通知", font=font(60), fill=(232, 30, 40))  # a red title
    draw.text((470, 480), "2025年5月20日", font=font(40), fill=(20, 20, 20))  # black text...
    draw_seal(page, (650, 500), 150, "衡阳市科学技术协会")  # ...under the seal's ink
    seals = find_seals(page)
    assert len(seals) == 1
    left, top, right, bottom = seals[0].box
    assert left <= 510 < 790 <= right and top <= 360 < 640 <= bottom  # the seal, not the title
    clean = filter_ocr_image(page)  # what every engine is given
    assert clean.tobytes() == whiten_seals(page, seals).tobytes()
    title = next((x, y) for x in range(40, 500) for y in range(30, 100)
                 if page.getpixel((x, y))[1] < 90)  # a pixel of the red title's ink
    assert clean.getpixel(title) == page.getpixel(title)  # red outside the seal: as it was
    assert page.getpixel((650, 352))[0] > 150 and page.getpixel((650, 352))[1] < 100  # the ring...
    assert min(clean.getpixel((650, 352))) > 240  # ...whitened
    ink = next((x, y) for x in range(470, 560) for y in range(480, 530)
               if max(page.getpixel((x, y))) < 60)  # a pixel of black text under the seal
    assert max(clean.getpixel(ink)) < 60  # stays black


def test_a_page_without_a_seal_has_no_seals_and_is_read_as_it_is() -> None:
    red_banner = Image.new("RGB", (1200, 500), (222, 30, 40))
    ImageDraw.Draw(red_banner).text((50, 200), "热烈祝贺评选圆满成功", font=font(80), fill="white")
    assert find_seals(red_banner) == []
    assert find_seals(red_banner.convert("L")) == []
    assert filter_ocr_image(red_banner) is red_banner


@needs_rapidocr
@pytest.mark.slow
def test_the_combined_engine_keeps_red_text_and_reads_under_the_seal() -> None:
    """As a page is read: filtered (red whitened inside the seal alone), then read."""
    engine = engine_by_name("combined")
    for category, expected in (("red_text", ["关于推荐衡阳市卓越工程师人选的通知", "特别提醒",
                                             "逾期不予受理"]),
                               ("red_background", ["热烈祝贺衡阳市卓越工程师评选圆满成功"]),
                               ("seal_over_text", ["衡阳市科学技术协会文件", "2025年5月20日"])):
        image, truth = _photo(category)
        result = read_page(image, engine)
        text = result.text.replace(" ", "")
        assert all(words in text for words in expected), (category, result.text)
        assert character_error_rate(result.text, truth) < 0.03, (category, result.text)
        assert result.rotation == 0


@needs_rapidocr
@pytest.mark.slow
def test_vertical_text_is_read_in_columns_and_not_recorded_as_turned() -> None:
    engine = engine_by_name("combined")
    image, truth = _photo("vertical")
    result = engine.read(image)
    assert result.rotation == 0
    assert result.text.replace(" ", "").split("\n")[:2] == ["衡阳市科学技术协会", "关于卓越工程师的公告"]
    assert character_error_rate(result.text, truth) < 0.03
    sideways, truth = _photo("red_text")  # a page of horizontal lines on its side
    result = engine.read(sideways.rotate(90, expand=True))
    assert result.rotation == 90
    assert character_error_rate(result.text, truth) < 0.03


@needs_rapidocr
@pytest.mark.slow
def test_lines_recognised_in_batches_read_as_one_at_a_time() -> None:
    from extractors.ocr.combined import _detect, _rapidocr_parts, crop_line

    engine = engine_by_name("combined")
    detector, _, recogniser = _rapidocr_parts(1, engine.runtime or default_runtime())
    item = next(i for i in scan_set(("benefit", "award")) if i.name.endswith(".jpg") and not i.rotation)
    page = scale_down(Image.open(io.BytesIO(item.data)).convert("RGB"), 1600)
    crops = [crop_line(page, box) for box in _detect(detector, page, scale_down(page, 960))]
    assert len(crops) >= 8
    assert len(batches_by_width(crops)) < len(crops) / 2  # really batched
    batched = recognise(recogniser, crops)
    alone = [recognise(recogniser, [crop])[0] for crop in crops]
    assert [normalized(text) for text, _ in batched] == [normalized(text) for text, _ in alone]
    assert "荣誉证书" in "".join(text for text, _ in batched).replace(" ", "")


def test_the_combined_engine_names_its_model_runtime_in_its_version() -> None:
    ov = engine_by_name("combined", runtime="openvino").version
    assert " ov " in ov and " ort " in engine_by_name("combined", runtime="onnxruntime").version


@needs_rapidocr
def test_the_combined_engine_s_detector_gets_rapidocr_s_own_input_bit_for_bit() -> None:
    """Its normalising by table (issue 22) changes the speed, not one value the model sees:
    compared with RapidOCR's stock preprocessing, on a page and on noise of odd sizes."""
    import numpy as np
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    from extractors.ocr.combined import _bgr, _rapidocr_parts

    detector, _, _ = _rapidocr_parts(1, default_runtime())
    stock = DetPreProcess(detector.limit_side_len, detector.limit_type, detector.mean, detector.std)
    item = next(i for i in scan_set(("award",)) if i.name.endswith(".jpg"))
    page = _bgr(scale_down(Image.open(io.BytesIO(item.data)).convert("RGB"), 960))
    noise = np.random.default_rng(22)
    inputs = [page, *(noise.integers(0, 256, (height, width, 3), dtype=np.uint8)
                      for height, width in ((672, 960), (957, 701), (31, 45)))]
    for image in inputs:
        expected, given = stock(image), detector.get_preprocess()(image)
        assert given.dtype == np.float32 and given.shape == expected.shape
        assert np.array_equal(given, expected)
        assert given.flags.c_contiguous  # no copy left for onnxruntime to make
    assert not isinstance(detector.get_preprocess(), DetPreProcess)  # the table's, really


class _Classifier:
    """A direction classifier that says ``label`` of every line with ``score``."""

    def __init__(self, label: str, score: float):
        self.label, self.score = label, score

    def __call__(self, crops: list):
        from types import SimpleNamespace

        return SimpleNamespace(cls_res=[(self.label, self.score)] * len(crops))


def _turn_decided(page: Image.Image, classifier=None) -> tuple[int, int]:
    """The turn ``_turn_of_tall_lines`` finds for ``page`` and how many sets of lines it had
    recognised to find it."""
    from extractors.ocr import combined

    detector, real_classifier, recogniser = combined._rapidocr_parts(1, default_runtime())
    page = scale_down(page.convert("RGB"), 1600)
    boxes = combined._detect(detector, page, scale_down(page, 960))
    assert combined._mostly_tall(boxes)
    readings = []
    real_recognise = combined.recognise

    def counted(recogniser, crops):
        readings.append(len(crops))
        return real_recognise(recogniser, crops)

    combined.recognise = counted
    try:
        turn = combined._turn_of_tall_lines(recogniser, classifier or real_classifier, page, boxes)
    finally:
        combined.recognise = real_recognise
    return turn, len(readings)


@needs_rapidocr
def test_a_page_on_its_side_is_turned_by_the_classifier_where_it_is_sure_else_by_readings() -> None:
    """Issue 22: the lines turned left and turned right were both read to turn a page on
    its side (0.5 s a page); the direction classifier, sure of every sampled line, now
    spares the reading it answers for, and where it hesitates the readings decide."""
    page, _ = _photo("red_text")
    turned_left, turned_right = page.rotate(90, expand=True), page.rotate(-90, expand=True)
    assert _turn_decided(turned_left) == (90, 0)  # upside down once turned left: no reading
    assert _turn_decided(turned_right) == (270, 2)  # upright turned left: its reading, and
    # the one that tells vertical text; the lines turned right are not read
    hesitant = _Classifier("180", 0.6)
    assert _turn_decided(turned_left, hesitant) == (90, 2)  # left and right read, right wins
    assert _turn_decided(turned_right, hesitant) == (270, 3)
    vertical, _ = _photo("vertical")
    assert _turn_decided(vertical)[0] == 0  # columns of upright characters: not turned
