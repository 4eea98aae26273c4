// Building DOM nodes without innerHTML: every value from the server or the user is text, never markup.

let nextId = 0;

/** A unique element id with a readable prefix. */
export const uid = (prefix) => `${prefix}-${++nextId}`;

/** h('input', { id: 'x', required: true }, ...children): attributes, properties (on*) and text or node children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A labelled input (or textarea/select), with an optional hint; `field` names it in the API's field errors. */
export function field({ label, name, field: apiField = name, type = 'text', value = '', hint, required, options, ...rest }) {
  const id = uid(name.replace(/[^A-Za-z0-9_-]/g, '-'));
  const hintId = hint ? `${id}-hint` : undefined;
  let control;
  if (type === 'textarea') {
    control = h('textarea', { id, name, rows: 3, 'aria-describedby': hintId, required, ...rest }, value ?? '');
  } else if (type === 'select') {
    control = h('select', { id, name, 'aria-describedby': hintId, required, ...rest },
      options.map(([optionValue, optionLabel]) => h('option', { value: optionValue, selected: optionValue === value }, optionLabel)));
  } else {
    control = h('input', { id, name, type, value: value ?? '', 'aria-describedby': hintId, required, ...rest });
  }

  return h('div', { class: 'field', dataset: { field: apiField } },
    h('label', { for: id }, label, required ? h('span', { class: 'required' }, ' (required)') : null),
    hint ? h('p', { id: hintId, class: 'hint' }, hint) : null,
    control);
}

/** A group of checkboxes under a legend; `checked` is the set of values that start ticked. */
export function checkboxes({ legend, name, field: apiField = name, choices, checked = new Set(), hint }) {
  const hintId = hint ? uid(`${name}-hint`) : undefined;
  return h('fieldset', { class: 'field', dataset: { field: apiField }, 'aria-describedby': hintId },
    h('legend', {}, legend),
    hint ? h('p', { id: hintId, class: 'hint' }, hint) : null,
    h('div', { class: 'choices' }, choices.map(([value, label]) => {
      const id = uid(`${name}-${value}`);
      return h('div', { class: 'choice' },
        h('input', { type: 'checkbox', id, name, value, checked: checked.has(value) }),
        h('label', { for: id }, label));
    })));
}

/** A definition list of [term, description] pairs, skipping empty descriptions. */
export function definitions(pairs) {
  return h('dl', { class: 'review' }, pairs
    .filter(([, description]) => description !== undefined && description !== null && description !== '')
    .flatMap(([term, description]) => [h('dt', {}, term), h('dd', {}, description)]));
}
