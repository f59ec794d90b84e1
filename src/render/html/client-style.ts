// Styles of the interactive page (inlined).
export const CLIENT_STYLE = `
*{box-sizing:border-box}
html,body{margin:0;height:100%;font:13px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#222;background:#fff}
body{display:flex;flex-direction:column}
header{display:flex;flex-wrap:wrap;align-items:center;gap:6px 16px;padding:8px 14px;border-bottom:1px solid #e2e2e2;background:#fafafa}
header h1{font-size:15px;margin:0;font-weight:600}
header .fs-meta{color:#666}
header label{display:inline-flex;align-items:center;gap:5px;color:#333}
header .fs-spacer{flex:1}
select,button,input{font:inherit}
button{cursor:pointer}
main{flex:1;display:flex;min-height:0}
#fs-plot{position:relative;flex:1;min-width:0;overflow:hidden}
#fs-canvas{display:block;touch-action:none}
#fs-overlay{position:absolute;left:0;top:0;pointer-events:none}
#fs-status{position:absolute;left:10px;top:8px;color:#777;font-size:12px;pointer-events:none;background:rgba(255,255,255,.75);padding:1px 4px;border-radius:3px}
#fs-tooltip{position:absolute;z-index:5;width:max-content;max-width:260px;background:#fff;border:1px solid #ccc;border-radius:6px;box-shadow:0 2px 10px rgba(0,0,0,.18);padding:8px;pointer-events:none;font-size:12px}
#fs-tooltip .fs-thumb{display:block;width:96px;height:96px;object-fit:contain;image-rendering:auto;background:#f3f3f3;margin-bottom:6px;border-radius:3px}
.fs-path{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:11px;word-break:break-all;color:#444;margin-bottom:4px}
dl{display:grid;grid-template-columns:auto 1fr;gap:1px 8px;margin:0}
dt{color:#777}dd{margin:0;word-break:break-word}
.fs-wrong{color:#c0392b;font-weight:600}.fs-right{color:#2e7d4f}
.fs-nothumb{color:#999;font-style:italic;margin-bottom:6px}
aside{border-left:1px solid #e2e2e2;display:flex;flex-direction:column;min-height:0;background:#fff}
#fs-legend{width:230px}
#fs-legend header{padding:8px 10px;gap:6px}
#fs-legend h2{font-size:13px;margin:0;flex:1}
#fs-legend header button{padding:1px 6px;font-size:12px}
#fs-filter{margin:6px 10px 0;padding:3px 6px}
#fs-legend-list{list-style:none;margin:0;padding:4px 4px 10px;overflow:auto;flex:1}
#fs-legend-list button{display:flex;align-items:center;gap:6px;width:100%;border:0;background:none;padding:2px 6px;border-radius:4px;text-align:left}
#fs-legend-list button:hover{background:#f0f0f0}
#fs-legend-list .fs-off{opacity:.35}
#fs-legend-list .fs-name{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
#fs-legend-list .fs-count{color:#888;font-size:11px}
.fs-swatch{width:14px;height:14px;flex:none}
#fs-details{width:300px;overflow:auto;padding:10px 12px}
#fs-details[hidden]{display:none}
#fs-details .fs-head{display:flex;justify-content:space-between;align-items:center}
#fs-details h2{font-size:13px;margin:0}
#fs-details h3{font-size:12px;margin:12px 0 4px;color:#555;font-weight:600}
#fs-details .fs-big{display:block;width:100%;max-width:256px;aspect-ratio:1;object-fit:contain;background:#f3f3f3;border-radius:4px;margin:8px 0}
.fs-topk{list-style:none;margin:0;padding:0}
.fs-topk li{position:relative;display:flex;gap:6px;padding:2px 4px;margin:2px 0;border-radius:3px;overflow:hidden}
.fs-topk .fs-bar{position:absolute;left:0;top:0;bottom:0;background:#dfe8f6;z-index:0}
.fs-topk .fs-name,.fs-topk .fs-conf{position:relative;z-index:1}
.fs-topk .fs-name{flex:1;word-break:break-word}
.fs-topk .fs-hit .fs-bar{background:#cfeadb}
.fs-neighbours{display:grid;grid-template-columns:repeat(4,1fr);gap:4px}
.fs-nb{border:1px solid #ddd;background:#fafafa;border-radius:4px;padding:2px;display:flex;flex-direction:column;align-items:center;min-width:0}
.fs-nb img{width:100%;aspect-ratio:1;object-fit:contain}
.fs-nb-label{font-size:10px;color:#555;max-width:100%;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.fs-wrong-nb{border-color:#e3a1a8}
#fs-help{color:#888;font-size:12px}
#fs-tools{display:inline-flex}
#fs-tools button{border:1px solid #bbb;background:#fff;padding:1px 8px;margin-left:-1px}
#fs-tools button:first-child{border-radius:4px 0 0 4px}
#fs-tools button:last-child{border-radius:0 4px 4px 0}
#fs-tools button[aria-pressed=true]{background:#dbe6f7;border-color:#6b8fd6;position:relative}
#fs-search{width:170px;padding:2px 6px}
#fs-search-count{color:#555;min-width:5em}
#fs-lasso{position:absolute;left:0;top:0;width:100%;height:100%;pointer-events:none;overflow:visible}
#fs-lasso path{fill:rgba(40,100,200,.1);stroke:#2864c8;stroke-width:1.2;stroke-dasharray:4 3}
#fs-selection{width:280px}
#fs-selection[hidden]{display:none}
#fs-selection .fs-head{display:flex;align-items:center;gap:6px;padding:8px 10px;border-bottom:1px solid #eee}
#fs-selection h2{font-size:13px;margin:0;flex:1}
#fs-selection .fs-head button{padding:1px 6px;font-size:12px}
#fs-sel-list{list-style:none;margin:0;padding:4px;overflow:auto;flex:1}
.fs-sel-row{display:flex;gap:8px;align-items:center;width:100%;border:0;background:none;padding:3px 4px;border-radius:4px;text-align:left}
.fs-sel-row:hover{background:#f0f0f0}
.fs-sel-thumb{width:36px;height:36px;flex:none;object-fit:contain;background:#f3f3f3;border-radius:3px}
.fs-sel-text{display:flex;flex-direction:column;min-width:0;font-size:12px}
.fs-sel-text .fs-path{margin:0}
#fs-sel-more{margin:4px 10px 8px;color:#777;font-size:12px}
#fs-sel-more:empty{display:none}
.fs-colorbar-item{display:flex;gap:8px;padding:6px 10px}
.fs-colorbar{width:18px;height:180px;border-radius:3px;flex:none}
.fs-ticks{display:flex;flex-direction:column;justify-content:space-between;font-size:11px;color:#444}
noscript{padding:20px}
`;
