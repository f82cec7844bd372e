import type { MessageKey, Translator } from './i18n';

/** The enabler's own frame around a payment form: one named group, its pay button, its status line. */
export interface Frame {
  /** Where the form (or the stored method's summary) goes. */
  content: HTMLElement;
  button?: HTMLButtonElement;
  /** Writes the status line (a polite live region): a message by key, or a text. */
  say(key: MessageKey | undefined, kind?: string, text?: string): void;
}

export function renderFrame(
  host: HTMLElement,
  i18n: Translator,
  options: { className: string; payLabel?: string; payDisabled?: boolean; onPay: () => void },
): Frame {
  host.replaceChildren();
  const wrapper = document.createElement('div');
  wrapper.className = `ctc-enabler ${options.className}`;
  wrapper.lang = i18n.language;
  // One named group for assistive technology: the form, its pay button and its status line.
  wrapper.setAttribute('role', 'group');
  wrapper.setAttribute('aria-label', i18n.t('region'));
  const content = document.createElement('div');
  content.className = 'ctc-element';
  wrapper.append(content);
  let button: HTMLButtonElement | undefined;
  if (options.payLabel !== undefined) {
    button = document.createElement('button');
    button.type = 'button';
    button.className = 'ctc-pay';
    button.disabled = options.payDisabled === true;
    button.textContent = options.payLabel;
    button.addEventListener('click', options.onPay);
    wrapper.append(button);
  }
  const status = document.createElement('p');
  status.className = 'ctc-status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  wrapper.append(status);
  host.append(wrapper);
  return {
    content,
    ...(button ? { button } : {}),
    say(key, kind = '', text) {
      status.textContent = text ?? (key ? i18n.t(key) : '');
      status.dataset.kind = kind;
    },
  };
}
