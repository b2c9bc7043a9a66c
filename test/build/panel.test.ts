/**
 * The panel rendered to static HTML in both flavours: Spectrum widgets for UXP, plain HTML for a browser;
 * only actions whose engine exists are listed; no Run button without a document host.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { LoupePanel } from '../../panels/LoupePanel.tsx';
import { CAPABILITIES } from '../../panels/capabilities.tsx';
import { createPanelStore } from '../../panels/store.ts';
import { UiFlavorContext, type UiFlavor } from '../../panels/ui/widgets.tsx';
import type { Host } from '../../panels/host.ts';

const fakeHost: Host = {
  kind: 'browser',
  label: 'Test host',
  runAction: () => Promise.reject(new Error('not used')),
  runCheck: () => Promise.reject(new Error('not used')),
};

function render(flavor: UiFlavor, host: Host | null): string {
  const store = createPanelStore(host, CAPABILITIES);
  const panel = createElement(LoupePanel, { store, capabilities: CAPABILITIES, hostLabel: host?.label ?? null });
  return renderToStaticMarkup(createElement(UiFlavorContext.Provider, { value: flavor }, panel));
}

test('lists exactly the actions whose engine exists, today all but Background', () => {
  assert.deepEqual(CAPABILITIES.map((c) => c.title), ['Mask jewelry', 'Retouch metal', 'Contact shadow', 'Sharpen', 'Fidelity check']);
  const html = render('html', fakeHost);
  assert.match(html, /Retouch metal/);
  for (const id of ['mask-jewelry', 'contact-shadow', 'sharpen']) assert.match(html, new RegExp(`data-testid="run-${id}"`));
  assert.match(html, /<option value="listing"[^>]*>Marketplace listing<\/option>/);
  for (const absent of ['Background', 'AI background', 'Generate']) {
    assert.doesNotMatch(html, new RegExp(absent), `${absent} is not offered before its engine exists`);
  }
});

test('in UXP it uses Spectrum widgets and no plain form controls', () => {
  const html = render('spectrum', fakeHost);
  assert.match(html, /<sp-button[^>]*data-testid="run-retouch-metal"/);
  assert.match(html, /<sp-picker[^>]*label="Metal"/);
  assert.match(html, /<sp-menu-item>Detect automatically<\/sp-menu-item>/);
  assert.match(html, /<sp-checkbox[^>]*>Leave stones untouched<\/sp-checkbox>/);
  assert.doesNotMatch(html, /<(button|select|input)\b/);
});

test('in a browser it uses plain HTML controls with the same choices', () => {
  const html = render('html', fakeHost);
  assert.match(html, /<button[^>]*data-testid="run-retouch-metal"/);
  assert.match(html, /<option value="auto"[^>]*>Detect automatically<\/option>/);
  assert.match(html, /<option value="platinum">Platinum<\/option>/);
  assert.match(html, /<input type="checkbox" data-testid="leave-stones" checked=""/, '"Leave stones untouched" is on by default');
  assert.doesNotMatch(html, /<sp-/);
});

test('without a document host the Run button is disabled and the panel says how to get one', () => {
  const html = render('html', null);
  assert.match(html, /Not connected to a document/);
  assert.match(html, /<button[^>]*disabled=""[^>]*data-testid="run-retouch-metal"/);
});
