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
import { memoryKeyStore } from '../../panels/keyStore.ts';
import { CONTEXT_BACKGROUND_DEFAULTS } from '../../panels/actions/contextBackgroundAction.ts';
import { ContextBackgroundOptionsView } from '../../panels/ContextBackgroundOptions.tsx';

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

test('lists exactly the actions whose engine exists, Context background among them', () => {
  assert.deepEqual(CAPABILITIES.map((c) => c.title), ['Mask jewelry', 'Retouch metal', 'Contact shadow', 'Sharpen', 'Context background', 'Fidelity check']);
  const html = render('html', fakeHost);
  assert.match(html, /Retouch metal/);
  for (const id of ['mask-jewelry', 'contact-shadow', 'sharpen', 'context-background']) assert.match(html, new RegExp(`data-testid="run-${id}"`));
  assert.match(html, /<option value="listing"[^>]*>Marketplace listing<\/option>/);
});

test('Context background: studio by default; Generative Fill offered in Photoshop only; no key field until OpenAI is chosen', () => {
  const browser = render('html', fakeHost);
  assert.match(browser, /<select[^>]*data-testid="background-provider"/);
  assert.match(browser, /<option value="studio" selected="">Studio backdrop \(offline\)<\/option>/);
  assert.doesNotMatch(browser, /<option value="generative-fill"/);
  assert.doesNotMatch(browser, /data-testid="api-key"/);
  const photoshop = render('spectrum', { ...fakeHost, kind: 'photoshop' });
  assert.match(photoshop, /<sp-menu-item>Photoshop Generative Fill<\/sp-menu-item>/);
  assert.match(photoshop, /<sp-picker[^>]*label="Backdrop"/);
});

test('Context background with OpenAI: a password field for the key, empty, and where it is kept', () => {
  // The options view itself: a static render shows the store's initial state only.
  const view = (flavor: UiFlavor) => renderToStaticMarkup(createElement(UiFlavorContext.Provider, { value: flavor }, createElement(ContextBackgroundOptionsView, {
    value: { ...CONTEXT_BACKGROUND_DEFAULTS, provider: 'openai' }, onChange: () => {}, disabled: false, host: { kind: 'browser', keys: memoryKeyStore() },
  })));
  const html = view('html');
  assert.match(html, /<input type="password"[^>]*data-testid="api-key"[^>]*value=""/, "empty: a saved key is never shown");
  assert.match(html, /No key saved; it is kept in memory only, until this page closes/);
  assert.match(html, /data-testid="scene-preset"/);
  const spectrum = view('spectrum');
  assert.match(spectrum, /<sp-textfield type="password"[^>]*data-testid="api-key"/);
  assert.doesNotMatch(spectrum, /<(button|select|input)\b/);
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
