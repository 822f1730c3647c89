"""The style sheets of the HTML writer: flowing reports and the one-page routine sheet (both
print on A4)."""

REPORT_CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111;
       max-width: 50rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; }
.meta, .small { color: #555; font-size: .85rem; }
.verdict { font-size: 1.2rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .9rem; }
th, td { border: 1px solid #bbb; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #eee; } td.num { text-align: right; white-space: nowrap; }
.figure { display: flex; gap: .8rem; flex-wrap: wrap; }
.top { display: flex; gap: 1.2rem; align-items: flex-start; }
.top .figure { flex: 0 0 40%; } .top .figure img { width: 100%; }
.row { flex-wrap: nowrap; } .row img { flex: 1 1 0; min-width: 0; max-height: none; }
thead { display: table-header-group; }
td.nowrap { white-space: nowrap; }
.figure img { max-width: 100%; max-height: 60vh; border: 1px solid #ccc; }
.real, .out { font-weight: 600; color: #8a1c00; }
.disclaimer { border: 1px solid #c90; background: #fff8e5; padding: .5rem .7rem; }
tr, img, .disclaimer, li { break-inside: avoid; page-break-inside: avoid; }
@page { size: A4; margin: 14mm; }
@media print { body { margin: 0; max-width: none; font-size: 9.5pt; }
  table { font-size: 8.5pt; } h2 { margin-top: 1rem; }
  .figure img { max-height: 120mm; } a { color: inherit; text-decoration: none; } }
.corr { color: #1f5fa8; } .note { font-style: italic; }
.chart svg { max-width: 100%; height: auto; }
"""

SHEET_CSS = """
@page { size: A4; margin: 9mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.35 "Helvetica Neue", Helvetica, Arial, sans-serif; color: #1a1a1a;
       max-width: 200mm; margin: 0 auto; padding: 6mm; }
h1 { font-size: 15pt; margin: 0 0 1.5mm; color: #1f4e79; }
p { margin: 0 0 1.2mm; }
.disclaimer { border: 1px solid #c0392b; background: #fdf2f0; padding: 1.5mm 2.5mm; }
.note { background: #fff8e1; padding: 1mm 2.5mm; }
.safety { border: 1px solid #888; padding: 1.5mm 2.5mm; margin: 1.5mm 0; }
.safety ul { columns: 2; column-gap: 5mm; margin: 0.5mm 0 0; padding: 0; list-style: none; }
.safety li { break-inside: avoid; margin-bottom: 0.6mm; padding-left: 4.5mm; text-indent: -4.5mm; }
.safety li::before { content: "\\2610\\00a0"; }
.blocked { border: 2px solid #c0392b; padding: 3mm; font-size: 12pt; font-weight: bold; }
.cards { columns: 2; column-gap: 5mm; margin-top: 1.5mm; }
.card { break-inside: avoid; border-top: 1.5px solid #1f4e79; padding-top: 1mm; margin-bottom: 2mm; }
.card h2 { font-size: 10.5pt; margin: 0; color: #1f4e79; }
.card h2 small { font-weight: normal; color: #555; }
.card svg { float: right; width: 21mm; max-height: 27mm; height: auto; margin: 0 0 1mm 2mm; }
.card ol { margin: 0.5mm 0 0.8mm; padding-left: 4.5mm; }
.dose { font-weight: bold; }
.purpose { font-style: italic; }
@media print {
  body { font-size: 7pt; line-height: 1.2; padding: 0; max-width: none; }
  h1 { font-size: 12pt; margin-bottom: 1mm; }
  p { margin-bottom: 0.5mm; }
  .safety { margin: 1mm 0; padding: 1mm 2mm; }
  .safety li { margin-bottom: 0.2mm; }
  .cards { margin-top: 1mm; }
  .card { margin-bottom: 1.2mm; padding-top: 0.6mm; }
  .card h2 { font-size: 8pt; }
  .card ol { margin: 0.3mm 0 0.4mm; }
  .card svg { max-height: 19mm; width: 17mm; }
}
"""
