/**
 * batchPlay descriptors as plain JSON data. Builders in this folder are pure: they import nothing from
 * `photoshop`, so tests compare their output with golden fixtures (test/fixtures/batchplay/).
 */
export type DescriptorValue =
  | string
  | number
  | boolean
  | null
  | readonly DescriptorValue[]
  | { readonly [key: string]: DescriptorValue };

export interface Descriptor {
  readonly _obj: string;
  readonly [key: string]: DescriptorValue;
}

/** The currently targeted (active) layer, as recorded by Photoshop's Copy As JavaScript. */
export const TARGET_LAYER = { _ref: 'layer', _enum: 'ordinal', _value: 'targetEnum' } as const;

/** No dialogs while Loupe works: Photoshop uses the values given. */
export const NO_DIALOG = { dialogOptions: 'dontDisplay' } as const;

export function percent(value: number): { _unit: 'percentUnit'; _value: number } {
  return { _unit: 'percentUnit', _value: value };
}
