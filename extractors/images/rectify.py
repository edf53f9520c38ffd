"""A sheet photographed at an angle made an upright page: its four corners found, the
perspective undone, the shadow across it evened out.

A phone photo of a printed form shows the sheet as a bright quadrilateral on a darker desk,
its top narrower than its bottom when the phone leaned back, often with the shadow of the
hand that held it. Ruling lines that converge are no longer found by long straight
kernels, so the cells of the form would be lost. ``rectified`` finds the largest bright
quadrilateral, maps it onto an upright page of A4's proportions (or the measured ones when
the sheet is plainly no A4), and divides the page by a heavily blurred estimate of its
paper so that the shadow does not darken what binarisation later reads.

An image in which no such quadrilateral is found with confidence (a flat scan, whose paper
fills the picture; a cropped photo; a crumpled sheet) is returned unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image

from extractors.limits import MAX_SIDE

DETECT_SIDE = 1000  # px: the long side the corners are looked for at (fast; ~0.3 % per px)
CLOSE_SHARE = 0.015  # of DETECT_SIDE: dark marks narrower than this (text, rules) are closed away
EDGE_LOW, EDGE_HIGH = 40, 120  # Canny: paper against desk is a step of 60+ grey levels in
# 2–3 px; a shadow's edge spreads a smaller step over 20 px and stays below EDGE_LOW
APPROX_SHARES = (0.01, 0.02, 0.03, 0.04)  # of the outline's length: polygon tolerances tried for 4 corners
SIDE_BAND = 0.02  # of a side's length: outline points this near the side are fitted to it
MAX_REFINE_SHIFT = 0.05  # of the sheet's size: a refined corner moved further is a bad fit
RING_SHARE = 0.03  # of the picture: the band outside the sheet it is compared with
MIN_PAGE_SHARE = 0.2  # of the picture's area: a smaller quadrilateral is a card or a photo on the form
MIN_FILL = 0.9  # the outline's area / its quadrilateral's: less is no straight-edged sheet
MIN_CONTRAST = 25  # grey levels the sheet stands brighter than what surrounds it
MAX_CORNER_TURN = 40.0  # degrees from a right angle: sharper corners are no sheet in perspective
FLAT_FRAME_SHARE = 0.85  # of the picture: a quadrilateral this large and square is a flat scan
EDGE_MARGIN = 0.005  # of the picture's side: a corner this near the edge is where the frame cut the sheet
FLAT_ANGLE = 1.5  # degrees from a right angle at every corner: no perspective to undo
A4_RATIO = math.sqrt(2)  # height / width of an A4 sheet (and of every ISO A size)
A4_SNAP = 0.05  # a ratio within 5 % of A4's is taken as A4: the estimate's own error on a real photo
SHADOW_SCALE = 8  # the paper estimate is made at 1/8 size: a character vanishes in its max filter
SHADOW_KERNEL = 9  # px at that scale (~70 px of the page): wider than a character, narrower than a shadow's edge
SHADOW_BLUR = 2.0  # px at that scale: smooths the estimate's blocks, keeps a shadow's soft edge


@dataclass(frozen=True)
class Quad:
    """A sheet's corners in the picture, in its pixels: top-left, top-right, bottom-right,
    bottom-left."""

    corners: tuple[tuple[float, float], ...]


def rectified(image: Image.Image) -> Image.Image:
    """The sheet in ``image`` upright, shadow evened out; ``image`` itself when no sheet
    at an angle is found. Accepts RGB or L images, returns the same mode."""
    quad = find_sheet(image)
    if quad is None:
        return image
    return even_shadow(unwarped(image, quad))


def find_sheet(image: Image.Image) -> Quad | None:
    """The largest bright quadrilateral in the picture, or None when there is none to be
    confident of, or when it is the whole picture seen straight (a flat scan)."""
    import cv2
    import numpy as np

    factor = DETECT_SIDE / max(image.size)
    small = image.convert("L").resize((max(1, round(image.width * factor)), max(1, round(image.height * factor))),
                                      Image.Resampling.BILINEAR)
    grey = np.asarray(small)
    size = max(3, round(CLOSE_SHARE * DETECT_SIDE) | 1)
    # text and ruling lines closed away: the sheet becomes one bright even area
    closed = cv2.morphologyEx(cv2.GaussianBlur(grey, (5, 5), 0), cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    best: np.ndarray | None = None
    for mask in _sheet_masks(closed):
        quad = _quadrilateral(mask, grey.size)
        if quad is not None and _stands_out(closed, quad) and (best is None or _area(quad) > _area(best)):
            best = quad
    if best is None or _flat(best, grey.shape) or _cut_by_frame(best, grey.shape):
        return None
    # pixel centres: pixel i of the small picture covers (i + 0.5) / factor of the large one
    return Quad(tuple(((float(x) + 0.5) / factor - 0.5, (float(y) + 0.5) / factor - 0.5) for x, y in best))


def _sheet_masks(closed):
    """Candidate sheet areas: inside the strong edges (a shadow's soft edge is not one),
    and the bright side of Otsu's threshold (when the desk's grain breaks the edges)."""
    import cv2

    edges = cv2.Canny(closed, EDGE_LOW, EDGE_HIGH)
    edges = cv2.dilate(edges, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    filled = closed * 0
    cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
    yield cv2.erode(filled, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    _, bright = cv2.threshold(closed, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    yield bright


def _quadrilateral(mask, picture_area: int):
    """The largest outline of ``mask`` if it is a convex quadrilateral filling its corners,
    its corners refined by straight lines fitted to its four sides; else None."""
    import cv2
    import numpy as np

    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(outline)
    if area < MIN_PAGE_SHARE * picture_area:
        return None
    hull = cv2.convexHull(outline)
    for share in APPROX_SHARES:
        approx = cv2.approxPolyDP(hull, share * cv2.arcLength(hull, True), True)
        if len(approx) == 4:
            break
    else:
        return None
    corners = _ordered(approx.reshape(4, 2).astype(np.float64))
    if area < MIN_FILL * _area(corners) or max(_corner_turns(corners)) > MAX_CORNER_TURN:
        return None
    return _refined(corners, outline.reshape(-1, 2).astype(np.float64))


def _ordered(points):
    """Corners in the order top-left, top-right, bottom-right, bottom-left."""
    import numpy as np

    centre = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0])
    ring = points[np.argsort(angles)]  # clockwise on screen, starting anywhere
    start = int(np.argmin(ring.sum(axis=1)))  # the top-left has the smallest x + y
    return np.roll(ring, -start, axis=0)


def _refined(corners, outline):
    """Each side a straight line fitted to the outline's points along its middle (the
    corners themselves are rounded by blurring), the corners where the lines meet."""
    import cv2
    import numpy as np

    lines = []
    for index in range(4):
        start, end = corners[index], corners[(index + 1) % 4]
        side = end - start
        length = float(np.hypot(*side))
        along = (outline - start) @ side / length ** 2
        offset = outline - start
        across = np.abs(side[0] * offset[:, 1] - side[1] * offset[:, 0]) / length
        near = outline[(along > 0.1) & (along < 0.9) & (across < SIDE_BAND * length + 3)]
        if len(near) < 10:
            return corners
        vx, vy, x0, y0 = cv2.fitLine(near.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0], float), np.array([vx, vy], float)))
    refined = []
    for index in range(4):
        (p, u), (q, v) = lines[index - 1], lines[index]
        matrix = np.array([u, -v]).T
        if abs(np.linalg.det(matrix)) < 1e-6:
            return corners
        t = np.linalg.solve(matrix, q - p)
        refined.append(p + t[0] * u)
    result = np.array(refined)
    # a refinement that moved a corner far is a fit gone wrong: keep the polygon's corners
    if np.max(np.hypot(*(result - corners).T)) > MAX_REFINE_SHIFT * max(np.ptp(corners, axis=0)):
        return corners
    return result


def _area(corners) -> float:
    x, y = corners[:, 0], corners[:, 1]
    return 0.5 * abs(float((x * _roll(y) - _roll(x) * y).sum()))


def _roll(values):
    import numpy as np

    return np.roll(values, -1)


def _corner_turns(corners) -> list[float]:
    """How far each corner's angle is from a right angle, in degrees."""
    import numpy as np

    turns = []
    for index in range(4):
        before, here, after = corners[index - 1], corners[index], corners[(index + 1) % 4]
        a, b = before - here, after - here
        cosine = float(a @ b / (np.hypot(*a) * np.hypot(*b)))
        turns.append(abs(math.degrees(math.acos(max(-1.0, min(1.0, cosine)))) - 90))
    return turns


def _stands_out(closed, corners) -> bool:
    """The quadrilateral is brighter than a band just outside it: a sheet, not a shadow."""
    import cv2
    import numpy as np

    inside = np.zeros_like(closed)
    cv2.fillConvexPoly(inside, corners.round().astype(np.int32), 255)
    band = max(5, round(RING_SHARE * max(closed.shape)))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (band, band))
    ring = cv2.subtract(cv2.dilate(inside, kernel), inside)
    core = cv2.erode(inside, kernel)
    if not ring.any() or not core.any():
        return False  # the sheet fills the picture: nothing to compare with
    return float(np.median(closed[core > 0])) - float(np.median(closed[ring > 0])) >= MIN_CONTRAST


def _cut_by_frame(corners, shape: tuple[int, ...]) -> bool:
    """Two corners on the picture's edge: the sheet runs out of the frame there, and the
    "corners" are where the frame cut it (a table photographed close up), not the sheet's."""
    height, width = shape[:2]
    margin = EDGE_MARGIN * max(width, height)
    on_edge = [x <= margin or y <= margin or x >= width - 1 - margin or y >= height - 1 - margin
               for x, y in corners]
    return sum(on_edge) >= 2


def _flat(corners, shape: tuple[int, ...]) -> bool:
    """Nearly the whole picture and square at every corner: a scan, left as it is."""
    height, width = shape[:2]
    return _area(corners) >= FLAT_FRAME_SHARE * width * height and max(_corner_turns(corners)) <= FLAT_ANGLE


def page_size(quad: Quad, picture: tuple[int, int]) -> tuple[int, int]:
    """The upright page's size: as wide as the sheet's wider of top and bottom, as high as
    the sheet's proportion (``sheet_ratio``) makes it, taken as A4's when near it; the long
    side at most MAX_SIDE."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad.corners
    width = max(math.hypot(x1 - x0, y1 - y0), math.hypot(x2 - x3, y2 - y3))
    ratio = sheet_ratio(quad, picture)
    for standard in (A4_RATIO, 1 / A4_RATIO):  # upright or landscape
        if abs(ratio - standard) <= A4_SNAP * standard:
            ratio = standard
    factor = min(1.0, MAX_SIDE / max(width, width * ratio))
    return max(1, round(width * factor)), max(1, round(width * ratio * factor))


def sheet_ratio(quad: Quad, picture: tuple[int, int]) -> float:
    """The sheet's height / width as it lies on the desk, not as the picture foreshortens
    it: the camera's focal length recovered from the quadrilateral, the picture's centre
    taken as the lens axis (Zhang and He, "Whiteboard scanning and image enhancement",
    2007). Where the sides are nearly parallel the focal length is undetermined and the
    sides' own lengths give the ratio."""
    import numpy as np

    centre = np.array([picture[0] / 2, picture[1] / 2, 0.0])
    top_left, top_right, bottom_right, bottom_left = (np.array([x, y, 1.0]) - centre for x, y in quad.corners)
    m1, m2, m3, m4 = top_left, top_right, bottom_left, bottom_right
    k2 = np.dot(np.cross(m1, m4), m3) / np.dot(np.cross(m2, m4), m3)
    k3 = np.dot(np.cross(m1, m4), m2) / np.dot(np.cross(m3, m4), m2)
    n2, n3 = k2 * m2 - m1, k3 * m3 - m1
    focal_sq = 0.0
    if abs(n2[2] * n3[2]) > 1e-9:
        focal_sq = -(n2[0] * n3[0] + n2[1] * n3[1]) / (n2[2] * n3[2])
    if focal_sq > 0:
        across = (n2[0] ** 2 + n2[1] ** 2) / focal_sq + n2[2] ** 2
        down = (n3[0] ** 2 + n3[1] ** 2) / focal_sq + n3[2] ** 2
    else:
        across, down = n2[0] ** 2 + n2[1] ** 2, n3[0] ** 2 + n3[1] ** 2
    return float(math.sqrt(down / across))


def unwarped(image: Image.Image, quad: Quad) -> Image.Image:
    """The quadrilateral mapped onto an upright page (``page_size``)."""
    import cv2
    import numpy as np

    width, height = page_size(quad, image.size)
    target = np.array([(0, 0), (width, 0), (width, height), (0, height)], np.float32)
    matrix = cv2.getPerspectiveTransform(np.array(quad.corners, np.float32), target)
    page = cv2.warpPerspective(np.asarray(image), matrix, (width, height), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)
    return Image.fromarray(page)


def even_shadow(page: Image.Image) -> Image.Image:
    """The page divided by its paper's brightness (the page closed over its ink, a
    character's size around, then blurred): a shadow or a lamp's fall-off becomes white
    paper, ink stays ink."""
    import cv2
    import numpy as np

    array = np.asarray(page)
    small = cv2.resize(array, (max(1, page.width // SHADOW_SCALE), max(1, page.height // SHADOW_SCALE)),
                       interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (SHADOW_KERNEL, SHADOW_KERNEL))
    # closed (not only dilated): the estimate follows a shadow's edge instead of the
    # brighter paper beside it, which would leave a grey band along the edge
    paper = cv2.GaussianBlur(cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel), (0, 0), SHADOW_BLUR)
    paper = cv2.resize(np.maximum(paper, 1), page.size, interpolation=cv2.INTER_LINEAR)
    # in 8 bits throughout: a 12-megapixel page in floats would cost a worker 150 MB
    return Image.fromarray(cv2.divide(array, paper, scale=255))
