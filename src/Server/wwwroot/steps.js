// The six wizard steps: what each shows (prefilled from the step's stored data) and the `data` it sends.
// Field names follow the existing frontend's client (api_keys, website_url, corePersona, platformPersonas, ...).

import { checkboxes, definitions, field, h } from './dom.js';

const RESEARCH_DEPTHS = [['basic', 'Basic'], ['standard', 'Standard'], ['comprehensive', 'Comprehensive']];
const CONTENT_TYPES = [['blog', 'Blog posts'], ['social', 'Social media'], ['newsletter', 'Newsletters'], ['whitepaper', 'Whitepapers']];
const PLATFORMS = [['linkedin', 'LinkedIn'], ['x', 'X (Twitter)'], ['facebook', 'Facebook'], ['instagram', 'Instagram'], ['blog', 'Blog']];
const INTEGRATIONS = [['wordpress', 'WordPress'], ['wix', 'Wix'], ['search_console', 'Google Search Console'], ['analytics', 'Google Analytics']];

const label = (choices, value) => choices.find(([v]) => v === value)?.[1] ?? value;
const text = (form, name) => String(new FormData(form).get(name) ?? '').trim();
const ticked = (form, name) => new FormData(form).getAll(name).map(String);
const lines = (value) => value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);

/** Masked keys ("****mnop") as a list: the only form of a key the server ever sends back. */
export function savedKeys(apiKeys, providers) {
  const entries = Object.entries(apiKeys ?? {});
  if (entries.length === 0) return h('p', { class: 'muted' }, 'No API keys saved yet.');
  const name = (provider) => providers?.find((p) => p.name === provider)?.display_name ?? provider;
  return h('ul', { class: 'saved-keys', 'aria-label': 'Saved API keys' },
    entries.map(([provider, hint]) => h('li', {}, h('span', {}, name(provider)), ' ', h('code', {}, hint))));
}

export const steps = {
  1: {
    render(data, { config }) {
      const saved = data?.api_keys ?? {};
      const required = new Set(config.required_providers);
      // Required providers first, then the rest in the server's order.
      const providers = [...config.providers].sort((a, b) => Number(required.has(b.name)) - Number(required.has(a.name)));
      return [
        h('h3', { class: 'subhead' }, 'Saved API keys'),
        savedKeys(saved, config.providers),
        h('p', { class: 'muted' }, 'Keys go to the secret store; only the last four characters are ever shown again. Leave a field empty to keep its saved key.'),
        h('div', { class: 'grid' }, providers.map((provider) => field({
          label: `${provider.display_name} API key`,
          name: `key-${provider.name}`,
          field: `api_keys.${provider.name}`,
          type: 'password',
          autocomplete: 'off',
          spellcheck: 'false',
          required: required.has(provider.name),
          placeholder: saved[provider.name] ? `Saved: ${saved[provider.name]}` : '',
        }))),
      ];
    },
    collect(form, { config }) {
      const apiKeys = {};
      for (const provider of config.providers) {
        const value = text(form, `key-${provider.name}`);
        if (value) apiKeys[provider.name] = value;
      }
      return { api_keys: apiKeys };
    },
  },

  2: {
    render(data) {
      return [
        field({ label: 'Website URL', name: 'website_url', type: 'url', value: data?.website_url ?? data?.website, required: true,
          placeholder: 'https://example.com', hint: 'The site your content is written for.', autocomplete: 'url' }),
        field({ label: 'What is the site about?', name: 'description', type: 'textarea', value: data?.description }),
      ];
    },
    collect(form) {
      const description = text(form, 'description');
      return { website_url: text(form, 'website_url'), ...(description ? { description } : {}) };
    },
  },

  3: {
    render(data) {
      const prefs = data?.research_preferences ?? {};
      return [
        field({ label: 'Research depth', name: 'research_depth', field: 'research_preferences', type: 'select',
          options: RESEARCH_DEPTHS, value: prefs.research_depth ?? 'standard' }),
        checkboxes({ legend: 'Content types', name: 'content_types', choices: CONTENT_TYPES, checked: new Set(prefs.content_types ?? ['blog']) }),
        field({ label: 'Competitor websites', name: 'competitors', type: 'textarea', value: (data?.competitors ?? []).join('\n'),
          hint: 'One URL per line (optional).' }),
        checkboxes({ legend: 'Automation', name: 'auto_research', choices: [['yes', 'Research topics automatically']],
          checked: new Set(prefs.auto_research === false ? [] : ['yes']) }),
      ];
    },
    collect(form) {
      return {
        research_preferences: {
          research_depth: text(form, 'research_depth'),
          content_types: ticked(form, 'content_types'),
          auto_research: ticked(form, 'auto_research').includes('yes'),
        },
        competitors: lines(text(form, 'competitors')),
      };
    },
  },

  4: {
    render(data) {
      const core = data?.corePersona ?? {};
      return [
        field({ label: 'Persona identity', name: 'identity', field: 'corePersona.identity', value: core.identity, required: true,
          placeholder: 'A friendly expert who explains things plainly', hint: 'Who the content speaks as.' }),
        field({ label: 'Tone of voice', name: 'tone', value: core.tone, placeholder: 'Warm, direct, no jargon' }),
        checkboxes({ legend: 'Platform personas', name: 'platforms', field: 'platformPersonas', choices: PLATFORMS,
          checked: new Set(Object.keys(data?.platformPersonas ?? {})), hint: 'Choose at least one platform to write for.' }),
      ];
    },
    collect(form) {
      const tone = text(form, 'tone');
      const platformPersonas = Object.fromEntries(ticked(form, 'platforms').map((p) => [p, { enabled: true, ...(tone ? { tone } : {}) }]));
      return { corePersona: { identity: text(form, 'identity'), ...(tone ? { tone } : {}) }, platformPersonas };
    },
  },

  5: {
    skippable: true,
    render(data) {
      const on = Object.entries(data?.integrations ?? {}).filter(([, enabled]) => enabled).map(([name]) => name);
      return [checkboxes({ legend: 'Integrations', name: 'integrations', choices: INTEGRATIONS, checked: new Set(on),
        hint: 'Optional: connect these later from the app, or skip this step.' })];
    },
    collect(form) {
      const on = new Set(ticked(form, 'integrations'));
      return { integrations: Object.fromEntries(INTEGRATIONS.map(([name]) => [name, on.has(name)])) };
    },
  },

  6: {
    submitLabel: 'Finish onboarding',
    render(_data, { summary, config }) {
      return [h('h3', { class: 'subhead' }, 'Review'), review(summary, config)];
    },
    collect: () => null,
  },
};

/** What the user entered, as the summary endpoint returns it (keys masked). */
export function review(summary, config) {
  const research = summary?.research_preferences?.research_preferences;
  const persona = summary?.personalization_settings;
  const integrations = Object.entries(summary?.integrations?.integrations ?? {}).filter(([, on]) => on).map(([name]) => label(INTEGRATIONS, name));
  return h('div', {},
    definitions([
      ['Website', summary?.website_url],
      ['Research depth', research?.research_depth && label(RESEARCH_DEPTHS, research.research_depth)],
      ['Persona', persona?.corePersona?.identity],
      ['Platforms', Object.keys(persona?.platformPersonas ?? {}).map((p) => label(PLATFORMS, p)).join(', ')],
      ['Integrations', integrations.length ? integrations.join(', ') : 'None'],
    ]),
    h('h4', { class: 'subhead' }, 'API keys'),
    savedKeys(summary?.api_keys, config?.providers));
}
