// Helpers shared by the report's scripts. Every piece of data reaches the page through
// textContent or a text node: nothing built from data is ever parsed as HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';
const NUMBER = new Intl.NumberFormat('en-US');

/** An element with attributes, listeners and children; strings become text nodes. */
function el(tag, attrs, children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element, the same way as el(). */
function svgEl(tag, attrs, children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(node, attrs, children) {
  for (const key of Object.keys(attrs || {})) {
    const value = attrs[key];
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.setAttribute('class', value);
    else if (key === 'text') node.textContent = String(value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

/** Append children: nodes as they are, strings and numbers as text nodes, arrays flattened, null and false skipped. */
function append(node, children) {
  if (children === undefined || children === null || children === false) return node;
  for (const child of Array.isArray(children) ? children : [children]) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

function formatNumber(n) {
  return n === null || n === undefined || Number.isNaN(n) ? '—' : NUMBER.format(n);
}

function formatPercent(x) {
  return typeof x === 'number' ? Math.round(x * 100) + '%' : '—';
}

function formatScore(x) {
  return typeof x === 'number' ? x.toFixed(2) : '—';
}

function plural(n, one, many) {
  return formatNumber(n) + ' ' + (n === 1 ? one : many || one + 's');
}

/** The UTC day (YYYY-MM-DD) of an ISO date or timestamp, or '' when there is none. */
function dayOf(date) {
  return typeof date === 'string' && /^\d{4}-\d{2}-\d{2}/.test(date) ? date.slice(0, 10) : '';
}

/** Milliseconds since the epoch of an ISO date or timestamp (dates are UTC midnight), or NaN. */
function timeOf(date) {
  return typeof date === 'string' ? Date.parse(date) : NaN;
}

function dayRange(first, last) {
  if (!first && !last) return 'no date';
  return first === last || !last ? first : first + ' – ' + last;
}

/** Shorten a string to n characters (by code point) with an ellipsis. */
function shorten(text, n) {
  if (!text) return '';
  const chars = Array.from(text);
  return chars.length <= n ? text : chars.slice(0, n - 1).join('').trimEnd() + '…';
}

/**
 * Code-point access to a text. Output offsets count Unicode code points (Python string indexes);
 * JavaScript strings count UTF-16 units, which differ only when a text holds characters outside
 * the Basic Multilingual Plane (emoji, some CJK), so only such texts pay for an array of code points.
 */
function codePoints(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) {
    return { length: text.length, slice: (start, end) => text.slice(start, end) };
  }
  const chars = Array.from(text);
  return { length: chars.length, slice: (start, end) => chars.slice(start, end).join('') };
}

function lengthOf(text) {
  return text ? codePoints(text).length : 0;
}

/** Run fn at most once per `wait` ms of quiet (for typing in the search box). */
function debounce(fn, wait) {
  let timer = null;
  return function () {
    clearTimeout(timer);
    timer = setTimeout(fn, wait);
  };
}

/** A link to an article's URL, only for http(s): a "javascript:" URL in the data must stay text. */
function safeLink(url, label) {
  if (typeof url === 'string' && /^https?:\/\//i.test(url)) {
    return el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'ext' }, label);
  }
  return null;
}
