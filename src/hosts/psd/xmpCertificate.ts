/**
 * The fidelity certificate: the measured figures and the verdict as an XMP packet for the exported file
 * (PSD image resource 1060, or a JPEG/PNG XMP block), plus the IPTC Digital Source Type that marketplaces
 * read (spec §C.5, §E.11): a real piece on a generated background is
 * compositeWithTrainedAlgorithmicMedia; a photograph is digitalCapture.
 */
import type { FidelityCheck } from '../../engine/fidelity/checkResult';

export const DIGITAL_SOURCE = {
  capture: 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture',
  aiBackground: 'http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia',
} as const;

/** Loupe's own XMP namespace for the figures (a URN: no web page pretends to define it). */
export const LOUPE_FIDELITY_NS = 'urn:loupe:fidelity:1.0#';

export interface CertificateInput {
  readonly verdict: 'pass' | 'warn' | 'fail';
  readonly tier: string;
  readonly marketplace?: string;
  readonly checks: readonly FidelityCheck[];
  /** A generated (AI) background is in the image. */
  readonly aiBackground: boolean;
  /** File name of the original the result was compared with. */
  readonly original: string;
  readonly checkedAt: Date;
  readonly tool: string;
}

export function fidelityXmp(c: CertificateInput): string {
  const source = c.aiBackground ? DIGITAL_SOURCE.aiBackground : DIGITAL_SOURCE.capture;
  const items = c.checks.map((k) => [
    '      <rdf:li rdf:parseType="Resource">',
    `       <loupe:Id>${esc(k.id)}</loupe:Id>`,
    `       <loupe:Label>${esc(k.label)}</loupe:Label>`,
    `       <loupe:Figure>${Number.isFinite(k.figure) ? k.figure : 'n/a'}</loupe:Figure>`,
    `       <loupe:Threshold>${k.threshold}</loupe:Threshold>`,
    `       <loupe:Comparison>${esc(k.comparison)}</loupe:Comparison>`,
    k.unit ? `       <loupe:Unit>${esc(k.unit)}</loupe:Unit>` : null,
    `       <loupe:Verdict>${k.verdict}</loupe:Verdict>`,
    '      </rdf:li>',
  ].filter((l) => l !== null).join('\n'));
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '  <rdf:Description rdf:about=""',
    '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    '    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"',
    `    xmlns:loupe="${LOUPE_FIDELITY_NS}"`,
    `    xmp:CreatorTool="${esc(c.tool)}"`,
    `    xmp:MetadataDate="${c.checkedAt.toISOString()}"`,
    `    Iptc4xmpExt:DigitalSourceType="${source}"`,
    `    loupe:Verdict="${c.verdict}"`,
    `    loupe:Tier="${esc(c.tier)}"`,
    c.marketplace ? `    loupe:Marketplace="${esc(c.marketplace)}"` : null,
    `    loupe:Original="${esc(c.original)}"`,
    `    loupe:CheckedAt="${c.checkedAt.toISOString()}">`,
    '   <loupe:Checks>',
    '    <rdf:Seq>',
    ...items,
    '    </rdf:Seq>',
    '   </loupe:Checks>',
    '  </rdf:Description>',
    ' </rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].filter((l) => l !== null).join('\n');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
