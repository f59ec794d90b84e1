// Styles of the report page (inlined).
export const REPORT_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#222;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:20px 24px 60px}
h1{font-size:22px;margin:0 0 2px}
h2{font-size:17px;margin:30px 0 10px;padding-bottom:4px;border-bottom:1px solid #e0e0e0}
.sub{color:#666;margin:0 0 16px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:10px}
.card{background:#fff;border:1px solid #e3e3e3;border-radius:8px;padding:10px 14px}
.card .v{font-size:24px;font-weight:600}
.card .l{color:#666;font-size:12px}
section{background:#fff;border:1px solid #e3e3e3;border-radius:8px;padding:4px 18px 16px;margin-top:18px}
section h2{border:0;margin:14px 0 8px;padding:0}
figure{margin:0}
figure svg,figure img{max-width:100%;height:auto;display:block}
figcaption{color:#666;font-size:12px;margin-top:4px}
table{border-collapse:collapse;font-size:13px}
th,td{padding:3px 10px;text-align:left;border-bottom:1px solid #eee;vertical-align:top}
th{font-weight:600;color:#444;background:#fafafa;position:sticky;top:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll{max-height:460px;overflow:auto;border:1px solid #eee;border-radius:4px}
.wide{overflow:auto}
.bar{display:inline-block;height:10px;background:#4c72b0;border-radius:2px;vertical-align:middle}
.barbox{width:160px;background:#eef1f6;border-radius:2px;display:inline-block;line-height:0}
.note{color:#666;font-size:12px}
a{color:#1f5fbf}
code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px;word-break:break-all}
ul.files{columns:2;padding-left:18px}
@media (max-width:700px){ul.files{columns:1}}
`;
