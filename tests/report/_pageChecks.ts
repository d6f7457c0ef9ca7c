/** Checks the browser tests run inside a loaded report page (Runtime.evaluate), as plain ES5 expressions. */

/**
 * In the page: every piece of visible text against what is behind it. HTML text: its colour on the first opaque
 * background up its ancestors (translucent ones composed over it). Chart text: its fill on the shape drawn under its
 * centre (fill and opacity composed over the chart's background), or the background. WCAG 2 relative luminance;
 * 3:1 for large text (24 px, or 18.66 px bold), 4.5:1 otherwise. And any two texts of one chart whose boxes overlap
 * by more than a pixel each way.
 */
export const TEXT_CHECK = `(function(){
function rgb(s){var m=String(s).match(/[\\d.]+/g);return m?m.map(Number):null}
function lum(c){var a=[c[0],c[1],c[2]].map(function(v){v/=255;return v<=0.03928?v/12.92:Math.pow((v+0.055)/1.055,2.4)});return 0.2126*a[0]+0.7152*a[1]+0.0722*a[2]}
function ratio(f,b){var x=lum(f),y=lum(b);return (Math.max(x,y)+0.05)/(Math.min(x,y)+0.05)}
function over(top,a,base){return [0,1,2].map(function(i){return top[i]*a+base[i]*(1-a)})}
function bg(el){var layers=[];for(var e=el;e;e=e.parentElement){var c=rgb(getComputedStyle(e).backgroundColor);if(c&&(c.length<4||c[3]>0)){layers.push(c);if(c.length<4||c[3]>=1)break}}var b=[255,255,255];for(var i=layers.length-1;i>=0;i--)b=over(layers[i],layers[i].length<4?1:layers[i][3],b);return b}
function need(cs){var size=parseFloat(cs.fontSize),bold=+cs.fontWeight>=700;return size>=24||(size>=18.66&&bold)?3:4.5}
var bad=[],checked=0;
var w=document.createTreeWalker(document.body,NodeFilter.SHOW_TEXT),t;
while((t=w.nextNode())){if(!t.textContent.trim())continue;var el=t.parentElement;if(el.closest('svg,script,style'))continue;var r=el.getBoundingClientRect();if(!r.width||!r.height)continue;var cs=getComputedStyle(el);checked++;var q=ratio(rgb(cs.color),bg(el));if(q<need(cs))bad.push({text:t.textContent.trim().slice(0,40),color:cs.color,ratio:Math.round(q*100)/100})}
var overlaps=[];
document.querySelectorAll('svg').forEach(function(svg){var texts=[].filter.call(svg.querySelectorAll('text'),function(x){var r=x.getBoundingClientRect();return r.width>0&&x.textContent.trim()});var base=bg(svg);
texts.forEach(function(tx){var r=tx.getBoundingClientRect(),cs=getComputedStyle(tx);checked++;var under=document.elementsFromPoint(r.left+r.width/2,r.top+r.height/2).filter(function(e){return e!==tx&&svg.contains(e)&&/^(rect|path|circle|polygon)$/.test(e.tagName)&&getComputedStyle(e).fill!=='none'})[0];var b=base;if(under){var us=getComputedStyle(under);b=over(rgb(us.fill),+us.opacity*+us.fillOpacity,base)}var q=ratio(rgb(cs.fill),b);if(q<need(cs))bad.push({chart:svg.getAttribute('data-chart')||svg.getAttribute('class'),text:tx.textContent.slice(0,40),fill:cs.fill,under:b.map(Math.round).join(','),ratio:Math.round(q*100)/100})});
var rs=texts.map(function(x){return [x,x.getBoundingClientRect()]});for(var i=0;i<rs.length;i++)for(var j=i+1;j<rs.length;j++){var a=rs[i][1],c=rs[j][1];var ix=Math.min(a.right,c.right)-Math.max(a.left,c.left),iy=Math.min(a.bottom,c.bottom)-Math.max(a.top,c.top);if(ix>1&&iy>1)overlaps.push({chart:svg.getAttribute('data-chart'),a:rs[i][0].textContent.slice(0,30),b:rs[j][0].textContent.slice(0,30),ix:Math.round(ix),iy:Math.round(iy)})}});
return {checked:checked,lowContrast:bad,overlaps:overlaps,height:document.documentElement.scrollHeight}})()`


/**
 * Text cut off: a chart label whose box leaves its SVG (the SVG clips it), and an HTML element whose text is wider
 * than its box while its overflow hides the rest (cells, cards, headings, legends). The page scrolling sideways
 * wider than the window, and every chart (with its shapes drawn, or a "no data" message in its place).
 */
export const CLIP_CHECK = `(function(){
var clipped=[];
document.querySelectorAll('svg').forEach(function(svg){var s=svg.getBoundingClientRect();if(!s.width)return;svg.querySelectorAll('text').forEach(function(t){var r=t.getBoundingClientRect();if(!r.width||!t.textContent.trim())return;if(r.left<s.left-1||r.right>s.right+1||r.top<s.top-1||r.bottom>s.bottom+1)clipped.push({chart:svg.getAttribute('data-chart'),text:t.textContent.slice(0,40),box:[r.left,r.top,r.right,r.bottom].map(Math.round),svg:[s.left,s.top,s.right,s.bottom].map(Math.round)})})});
document.querySelectorAll('body *').forEach(function(e){if(e.closest('svg,script,style'))return;var cs=getComputedStyle(e);if(cs.display==='none'||!(cs.overflowX==='hidden'||cs.overflowX==='clip'||cs.textOverflow==='ellipsis'))return;if(e.scrollWidth>e.clientWidth+1&&e.textContent.trim())clipped.push({element:e.tagName+'.'+e.className,text:e.textContent.trim().slice(0,40),scrollWidth:e.scrollWidth,clientWidth:e.clientWidth})});
var charts=[].map.call(document.querySelectorAll('svg[data-chart]'),function(s){var n=0;s.querySelectorAll('rect,path,line,circle,polygon').forEach(function(x){var b=x.getBBox();if(b.width>0||b.height>0)n++});var r=s.getBoundingClientRect();return {chart:s.getAttribute('data-chart'),drawn:n,width:Math.round(r.width),height:Math.round(r.height)}});
var empty=[].map.call(document.querySelectorAll('.no-data'),function(e){var r=e.getBoundingClientRect();return {chart:e.getAttribute('data-chart'),text:e.textContent.trim(),shown:r.width>0&&r.height>0}});
return {clipped:clipped,charts:charts,empty:empty,pageWidth:document.documentElement.scrollWidth,viewport:window.innerWidth}})()`
