async () => {
  // The smallest text of every SVG figure in the article, in CSS pixels as this screen shows it: each figure's
  // SVG is drawn inline at the width the page gives its image, and every <text> element's font size is scaled
  // by the transform the browser applies to it (getScreenCTM).
  const out = [];
  for (const img of document.querySelectorAll('.bd-article img')) {
    const src = img.getAttribute('src') || '';
    const shown = img.getBoundingClientRect().width;
    if (!src.endsWith('.svg') || shown === 0) continue;
    const text = await (await fetch(img.src)).text();
    const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
    const holder = document.createElement('div');
    holder.style.cssText = `position:absolute; left:0; top:0; width:${shown}px; visibility:hidden;`;
    svg.setAttribute('width', `${shown}`);
    svg.removeAttribute('height');
    holder.appendChild(document.importNode(svg, true));
    document.body.appendChild(holder);
    let smallest = Infinity, label = '';
    for (const t of holder.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      const m = t.getScreenCTM();
      const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      if (px < smallest) { smallest = px; label = t.textContent.trim().slice(0, 40); }
    }
    holder.remove();
    out.push({src: src.split('/').pop().slice(-16), shown: Math.round(shown), smallest: Math.round(smallest * 10) / 10, label,
              figure: (img.closest('figure') || {}).id || ''});
  }
  return out;
}
