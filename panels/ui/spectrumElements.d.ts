/**
 * JSX typings for the Spectrum UXP widgets the panel uses (`sp-*`, built into Photoshop's UXP). Only the
 * attributes Loupe sets; events are attached with addEventListener (see widgets.tsx).
 */
import 'react';

type SpProps = React.HTMLAttributes<HTMLElement> & {
  ref?: React.Ref<HTMLElement>;
  class?: string;
  variant?: string;
  size?: string;
  quiet?: boolean;
  label?: string;
  value?: string | number;
  max?: number;
  slot?: string;
  'data-value'?: string;
  type?: string;
  placeholder?: string;
};

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'sp-button': SpProps;
      'sp-picker': SpProps;
      'sp-menu': SpProps;
      'sp-menu-item': SpProps;
      'sp-checkbox': SpProps;
      'sp-progressbar': SpProps;
      'sp-body': SpProps;
      'sp-detail': SpProps;
      'sp-heading': SpProps;
      'sp-label': SpProps;
      'sp-textfield': SpProps;
      'sp-divider': SpProps;
    }
  }
}
