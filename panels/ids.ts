/** Panel entrypoint id: must equal `entrypoints[].id` of the panel in manifest.json (checked by test/build). */
export const PANEL_ID = 'loupe.panel';
