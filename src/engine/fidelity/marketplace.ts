/**
 * Marketplace image rules (spec §C) as data, and the checks an export must pass for each: pure-white
 * border, product fill, pixel size, file size, aspect, and whether a generated background is allowed.
 * Numbers are the spec's; where the spec marks a source as secondary the rule warns rather than fails.
 */
import type { Mask, Rgba8Image } from '../image';
import { assertSameSize } from '../image';
import { contentBounds, grownWithin } from '../maskWindow';
import { judge, skipped, type FidelityCheck } from './checkResult';

export type MarketplaceId = 'amazon-main' | 'etsy' | 'shopify' | 'google';
export const MARKETPLACES: readonly MarketplaceId[] = ['amazon-main', 'etsy', 'shopify', 'google'];

export function isMarketplace(v: string): v is MarketplaceId {
  return (MARKETPLACES as readonly string[]).includes(v);
}

export interface ExportPreset {
  readonly label: string;
  readonly width: number;
  readonly height: number;
}

export interface MarketplaceRules {
  readonly id: MarketplaceId;
  readonly label: string;
  /** The outer band (max(2 px, 1 % of the short side)) must be exactly RGB 255 (spec §C check 1). */
  readonly pureWhiteBorder: boolean;
  /** Piece bounding box along the longest side ÷ image side: fail below, warn below. */
  readonly fillLongest?: { readonly fail?: number; readonly warnBelow: number; readonly warnAbove?: number };
  /** Piece bounding box area ÷ image area reported with the fill (Amazon jewelry asks for 80 %). */
  readonly fillAreaWarnBelow?: number;
  /** Longest side, px: fail below `min`, warn below `recommended`; `max` per side. */
  readonly longestSide: { readonly min: number; readonly recommended: number };
  readonly maxSide?: number;
  readonly maxMegapixels?: number;
  readonly maxFileMB?: number;
  /** Accepted aspect ratios (width ÷ height); others warn. */
  readonly aspects: readonly number[];
  /** A generated (AI) background may not be the listing's main/first image. */
  readonly aiBackgroundAllowed: boolean;
  readonly presets: readonly ExportPreset[];
}

export const MARKETPLACE_RULES: Readonly<Record<MarketplaceId, MarketplaceRules>> = {
  'amazon-main': {
    id: 'amazon-main', label: 'Amazon main image', pureWhiteBorder: true,
    fillLongest: { fail: 0.85, warnBelow: 0.85 }, fillAreaWarnBelow: 0.8,
    longestSide: { min: 1000, recommended: 1600 }, maxSide: 10_000, maxFileMB: 10,
    aspects: [1], aiBackgroundAllowed: false,
    presets: [{ label: 'Amazon main 2000 × 2000', width: 2000, height: 2000 }, { label: 'Amazon main 1600 × 1600', width: 1600, height: 1600 }],
  },
  etsy: {
    id: 'etsy', label: 'Etsy listing photo', pureWhiteBorder: false,
    longestSide: { min: 635, recommended: 2000 }, maxFileMB: 10,
    aspects: [4 / 3, 1], aiBackgroundAllowed: false,
    presets: [{ label: 'Etsy 2700 × 2025 (4:3)', width: 2700, height: 2025 }, { label: 'Etsy 2000 × 2000', width: 2000, height: 2000 }],
  },
  shopify: {
    id: 'shopify', label: 'Shopify product image', pureWhiteBorder: false,
    longestSide: { min: 1, recommended: 2048 }, maxSide: 4472, maxMegapixels: 20, maxFileMB: 20,
    aspects: [1], aiBackgroundAllowed: true,
    presets: [{ label: 'Shopify 2048 × 2048', width: 2048, height: 2048 }],
  },
  google: {
    id: 'google', label: 'Google Merchant Center image', pureWhiteBorder: true,
    // Google: 75–90 % is best practice (warn outside); under 25 % the piece is lost in the frame [P].
    fillLongest: { fail: 0.25, warnBelow: 0.75, warnAbove: 0.9 },
    longestSide: { min: 100, recommended: 800 }, maxMegapixels: 64, maxFileMB: 16,
    aspects: [1], aiBackgroundAllowed: true,
    presets: [{ label: 'Google 1500 × 1500', width: 1500, height: 1500 }, { label: 'Google 800 × 800', width: 800, height: 800 }],
  },
};

export interface MarketplaceOptions {
  /** Encoded file size, when the file exists. */
  readonly fileBytes?: number;
  /** The background was generated (AI). */
  readonly aiBackground?: boolean;
}

export function checkMarketplace(image: Rgba8Image, jewelryMask: Mask, id: MarketplaceId, options: MarketplaceOptions = {}): FidelityCheck[] {
  assertSameSize('the jewelry mask', image, jewelryMask);
  const rules = MARKETPLACE_RULES[id];
  const { width: W, height: H } = image;
  const checks: FidelityCheck[] = [];
  const pre = `${id}:`;

  if (rules.pureWhiteBorder) {
    const band = Math.max(2, Math.round(0.01 * Math.min(W, H)));
    let total = 0, white = 0, minValue = 255;
    for (let y = 0; y < H; y++) {
      const inBand = y < band || y >= H - band;
      for (let x = 0; x < W; x++) {
        if (!inBand && x >= band && x < W - band) { x = W - band - 1; continue; }
        const p = (y * W + x) * 4;
        const m = Math.min(image.data[p], image.data[p + 1], image.data[p + 2]);
        total++;
        if (m === 255) white++;
        else if (m < minValue) minValue = m;
      }
    }
    const share = (100 * white) / total;
    checks.push(judge({
      id: `${pre}border-white`, label: 'Border pure white', figure: Math.floor(share * 100) / 100, threshold: 100, comparison: '>=', unit: '% of border',
      where: share < 100 ? [{ x: 0, y: 0, width: W, height: band }, { x: 0, y: H - band, width: W, height: band }] : undefined,
      detail: share < 100
        ? `${(total - white).toLocaleString('en')} of ${total.toLocaleString('en')} border pixels are not RGB 255 (darkest ${minValue}): lift the backdrop to pure white (a Curves black point at the far right shows them).`
        : `The ${band} px border is pure RGB 255.`,
    }));
    // Background share: everything outside the piece (grown 3 px for its antialiased rim).
    let bg = 0, bgWhite = 0;
    const grown = grownWithin(jewelryMask, 3, 8); // piece pixels (≥ 8) grown by 3 px, as 0/1
    for (let i = 0; i < W * H; i++) {
      if (grown[i]) continue;
      bg++;
      const p = i * 4;
      if (image.data[p] === 255 && image.data[p + 1] === 255 && image.data[p + 2] === 255) bgWhite++;
    }
    const bgShare = bg ? (100 * bgWhite) / bg : 100;
    checks.push(judge({
      id: `${pre}background-white`, label: 'Background RGB 255', figure: Math.round(bgShare * 10) / 10, threshold: 50, warnAt: 90, comparison: '>=', unit: '% of background',
      detail: `${Math.round(bgShare * 10) / 10} % of the background is RGB 255 (a soft contact shadow may take some; an off-white lightbox takes all).`,
    }));
  }

  const box = contentBounds(jewelryMask, 0, 128);
  if (rules.fillLongest) {
    if (!box) {
      checks.push(skipped({ id: `${pre}fill`, label: 'Product fill', threshold: rules.fillLongest?.fail ?? 0, comparison: '>=', detail: 'No piece in the mask.' }));
    } else {
      const bw = box.x1 - box.x0, bh = box.y1 - box.y0;
      const fill = Math.max(bw / W, bh / H);
      const f = rules.fillLongest;
      if (f) {
        const pct = Math.round(fill * 1000) / 10;
        const area = Math.round(((bw * bh) / (W * H)) * 1000) / 10;
        const areaNote = rules.fillAreaWarnBelow !== undefined
          ? ` Its bounding box covers ${area} % of the image${area < 100 * rules.fillAreaWarnBelow ? ` (Amazon jewelry asks for ${100 * rules.fillAreaWarnBelow} %)` : ''}.`
          : '';
        const tooBig = f.warnAbove !== undefined && fill > f.warnAbove;
        const base = judge({
          id: `${pre}fill`, label: 'Product fill (longest side)', figure: pct, threshold: 100 * (f.fail ?? 0), warnAt: 100 * f.warnBelow, comparison: '>=', unit: '%',
          where: [{ x: box.x0, y: box.y0, width: bw, height: bh }],
          detail: `The piece spans ${pct} % of the frame along its longest side (${rules.label}: ${f.fail ? `at least ${100 * f.fail} %` : `${100 * f.warnBelow}–${100 * (f.warnAbove ?? 1)} % recommended`}).${areaNote}`,
        });
        checks.push(tooBig && base.verdict === 'pass'
          ? { ...base, verdict: 'warn', detail: `The piece fills ${pct} % of the frame: above the ${100 * (f.warnAbove ?? 1)} % Google recommends; leave a margin.` }
          : base);
      }
    }
  }

  const longest = Math.max(W, H);
  checks.push(judge({
    id: `${pre}size`, label: 'Pixel size', figure: longest, threshold: rules.longestSide.min, warnAt: rules.longestSide.recommended, comparison: '>=', unit: 'px (longest side)',
    detail: `${W} × ${H} px; ${rules.label}: at least ${rules.longestSide.min} px${rules.longestSide.recommended > rules.longestSide.min ? `, ${rules.longestSide.recommended} px or more recommended` : ''}.`,
  }));
  if (rules.maxSide !== undefined || rules.maxMegapixels !== undefined) {
    const mp = (W * H) / 1e6;
    const overSide = rules.maxSide !== undefined ? longest / rules.maxSide : 0;
    const overMp = rules.maxMegapixels !== undefined ? mp / rules.maxMegapixels : 0;
    checks.push(judge({
      id: `${pre}max-size`, label: 'Not too large', figure: Math.round(Math.max(overSide, overMp) * 100) / 100, threshold: 1, comparison: '<=', unit: '× the limit',
      detail: `${W} × ${H} px (${Math.round(mp * 10) / 10} MP); limits: ${rules.maxSide ? `${rules.maxSide} px per side` : ''}${rules.maxSide && rules.maxMegapixels ? ', ' : ''}${rules.maxMegapixels ? `${rules.maxMegapixels} MP` : ''}.`,
    }));
  }
  if (rules.maxFileMB !== undefined) {
    if (options.fileBytes === undefined) {
      checks.push(skipped({ id: `${pre}file-size`, label: 'File size', threshold: rules.maxFileMB, comparison: '<=', unit: 'MB', detail: 'No file to weigh yet.' }));
    } else {
      const mb = Math.round((options.fileBytes / 1_048_576) * 100) / 100;
      checks.push(judge({ id: `${pre}file-size`, label: 'File size', figure: mb, threshold: rules.maxFileMB, comparison: '<=', unit: 'MB', detail: `${mb} MB (limit ${rules.maxFileMB} MB).` }));
    }
  }
  const aspect = W / H;
  const nearest = rules.aspects.reduce((a, b) => (Math.abs(Math.log(b / aspect)) < Math.abs(Math.log(a / aspect)) ? b : a));
  const off = Math.round(Math.abs(aspect / nearest - 1) * 1000) / 10;
  checks.push(judge({
    id: `${pre}aspect`, label: 'Aspect ratio', figure: off, threshold: 50, warnAt: 1, comparison: '<=', unit: '% off',
    detail: `${W}:${H} is ${off} % off ${ratioName(nearest)}, the nearest aspect ${rules.label} shows best (${rules.presets.map((p) => p.label).join('; ')}).`,
  }));
  if (options.aiBackground !== undefined) {
    const banned = options.aiBackground && !rules.aiBackgroundAllowed;
    checks.push(judge({
      id: `${pre}ai-background`, label: 'Generated background allowed', figure: banned ? 1 : 0, threshold: 0, comparison: '<=',
      detail: banned
        ? `${rules.label} must show the real photograph: keep the generated background for additional images.`
        : options.aiBackground ? 'A generated background is allowed here; the IPTC digital source type says so.' : 'The background is photographed.',
    }));
  }
  return checks;
}

function ratioName(r: number): string {
  return Math.abs(r - 4 / 3) < 1e-6 ? '4:3' : Math.abs(r - 1) < 1e-6 ? '1:1' : r.toFixed(2);
}
