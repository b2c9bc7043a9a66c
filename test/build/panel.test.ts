/** The panel's content, rendered to static HTML: honest about what runs where, and no fake buttons. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { ACTIONS, LoupePanel } from '../../panels/LoupePanel.tsx';

test('lists the actions and says the Photoshop side comes with the panel work', () => {
  const html = renderToStaticMarkup(createElement(LoupePanel, { host: null }));
  assert.match(html, />Loupe</);
  assert.match(html, /The Photoshop actions arrive with the panel work/);
  for (const a of ACTIONS) assert.ok(html.includes(a.title), a.title);
  assert.match(html, /Retouch metal/);
  assert.match(html, /loupe retouch/);
  assert.match(html, /In Photoshop: coming with the panel/);
  assert.match(html, /Preview outside Photoshop/);
});

test('has no controls that pretend to act', () => {
  const html = renderToStaticMarkup(createElement(LoupePanel, { host: 'Photoshop 26.0.0' }));
  assert.doesNotMatch(html, /<(button|sp-button|sp-action-button|input|select)\b/);
  assert.match(html, /Running in Photoshop 26\.0\.0/);
});

test('only "Retouch metal" claims to run today, and it names its command', () => {
  const available = ACTIONS.filter((a) => a.status === 'cli');
  assert.deepEqual(available.map((a) => a.title), ['Retouch metal']);
  assert.match(available[0].command ?? '', /^loupe retouch /);
});
