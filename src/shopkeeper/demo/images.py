"""Generated demo product pictures: a category pictogram in the variant's colour on a soft tinted
card, with the brand underneath. Plain SVG text, deterministic, no fonts or files needed."""

from __future__ import annotations

from html import escape

from shopkeeper.demo.words import COLOR_HEX

# category -> pictogram drawn in a 100x100 box; {f} fill, {s} stroke, {b} background
PICTOGRAMS: dict[str, str] = {
    "Shoes": '<path d="M8 64V50q0-7 7-7h18q6-13 19-9l10 10q12 6 28 10 6 2 6 9v5H8z" fill="{f}" stroke="{s}" '
    'stroke-width="2.5" stroke-linejoin="round"/><path d="M8 66h88v6H8z" fill="{s}"/>'
    '<path d="M40 44l6 6M46 40l6 6" stroke="{b}" stroke-width="2.5" stroke-linecap="round"/>',
    "Dresses": '<path d="M40 12h20l-2 17q11 7 8 15l14 42H20l14-42q-3-8 8-15z" fill="{f}" stroke="{s}" '
    'stroke-width="2.5" stroke-linejoin="round"/><path d="M34 44h32" stroke="{s}" stroke-width="2.5"/>',
    "Jackets & Coats": '<path d="M30 16l12-4q8 9 16 0l12 4 18 19-8 10-8-6v47H28V39l-8 6-8-10z" fill="{f}" '
    'stroke="{s}" stroke-width="2.5" stroke-linejoin="round"/>'
    '<path d="M50 22v64" stroke="{s}" stroke-width="2.5"/>'
    '<rect x="34" y="58" width="9" height="3" fill="{s}"/><rect x="57" y="58" width="9" '
    'height="3" fill="{s}"/>',
    "T-Shirts & Tops": '<path d="M34 16q16 10 32 0l22 12-8 16-10-4v46H30V40l-10 4-8-16z" fill="{f}" '
    'stroke="{s}" stroke-width="2.5" stroke-linejoin="round"/>',
    "Headphones & Audio": '<path d="M20 62V50a30 30 0 0 1 60 0v12" fill="none" stroke="{s}" stroke-width="7" '
    'stroke-linecap="round"/><rect x="12" y="52" width="18" height="30" rx="7" fill="{f}" '
    'stroke="{s}" stroke-width="2.5"/><rect x="70" y="52" width="18" height="30" rx="7" '
    'fill="{f}" stroke="{s}" stroke-width="2.5"/>',
    "Phones & Accessories": '<rect x="30" y="10" width="40" height="80" rx="8" fill="{f}" stroke="{s}" '
    'stroke-width="2.5"/><rect x="35" y="18" width="30" height="60" rx="3" fill="{b}" '
    'opacity=".85"/><circle cx="50" cy="84" r="2.5" fill="{s}"/>',
    "Home & Kitchen": '<path d="M66 40q16 0 16 13t-16 13" fill="none" stroke="{s}" stroke-width="6"/>'
    '<rect x="22" y="30" width="46" height="50" rx="7" fill="{f}" stroke="{s}" stroke-width="2.5"/>'
    '<path d="M34 22q-4-6 0-12M46 22q-4-6 0-12M58 22q-4-6 0-12" fill="none" stroke="{s}" '
    'stroke-width="2.5" stroke-linecap="round"/>',
    "Beauty & Care": '<rect x="42" y="12" width="16" height="10" rx="2" fill="{s}"/><rect x="45" y="22" '
    'width="10" '
    'height="10" fill="{f}" stroke="{s}" stroke-width="2"/><rect x="34" y="32" width="32" height="56" '
    'rx="8" fill="{f}" stroke="{s}" stroke-width="2.5"/><rect x="40" y="50" width="20" height="18" '
    'rx="2" fill="{b}" opacity=".8"/>',
    "Sports & Outdoors": '<circle cx="74" cy="24" r="9" fill="{s}" opacity=".6"/><path d="M6 84l30-50 16 26 '
    '12-18 30 42z" fill="{f}" stroke="{s}" stroke-width="2.5" stroke-linejoin="round"/>'
    '<path d="M30 44l6-10 6 10" fill="none" stroke="{b}" stroke-width="2.5"/>',
    "Toys & Kids": '<circle cx="32" cy="26" r="9" fill="{f}" stroke="{s}" stroke-width="2.5"/><circle '
    'cx="68" '
    'cy="26" r="9" fill="{f}" stroke="{s}" stroke-width="2.5"/><ellipse cx="50" cy="70" rx="22" '
    'ry="20" fill="{f}" stroke="{s}" stroke-width="2.5"/><circle cx="50" cy="38" r="18" fill="{f}" '
    'stroke="{s}" stroke-width="2.5"/><circle cx="44" cy="35" r="2.5" fill="{s}"/><circle cx="56" '
    'cy="35" r="2.5" fill="{s}"/><ellipse cx="50" cy="44" rx="5" ry="3.5" fill="{s}"/>',
    "Bags & Backpacks": '<path d="M40 26v-8q10-9 20 0v8" fill="none" stroke="{s}" stroke-width="4"/><rect '
    'x="24" '
    'y="24" width="52" height="64" rx="14" fill="{f}" stroke="{s}" stroke-width="2.5"/><rect '
    'x="34" y="56" width="32" height="22" rx="5" fill="none" stroke="{s}" stroke-width="2.5"/>'
    '<path d="M34 64h32" stroke="{s}" stroke-width="2"/>',
}


def _mix(hex_color: str, other: str, share: float) -> str:
    a = [int(hex_color[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x * (1 - share) + y * share):02x}" for x, y in zip(a, b, strict=True))


def product_svg(category: str, color: str, label: str) -> str:
    fill, _ink = COLOR_HEX[color]
    stroke = _mix(fill, "#000000", 0.45)
    top, bottom = _mix(fill, "#ffffff", 0.82), _mix(fill, "#ffffff", 0.62)
    art = PICTOGRAMS[category].format(f=fill, s=stroke, b=top)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 240" width="240" height="240" role="img" '
        f'aria-label="{escape(label)}"><defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">'
        f'<stop offset="0" stop-color="{top}"/><stop offset="1" '
        f'stop-color="{bottom}"/></linearGradient></defs>'
        '<rect width="240" height="240" rx="18" fill="url(#g)"/>'
        '<ellipse cx="120" cy="192" rx="70" ry="8" fill="#000" opacity=".08"/>'
        f'<g transform="translate(40 26) scale(1.6)">{art}</g>'
        f'<text x="120" y="224" text-anchor="middle" font-family="system-ui,sans-serif" font-size="15" '
        f'font-weight="600" fill="{stroke}">{escape(label)}</text></svg>\n'
    )
