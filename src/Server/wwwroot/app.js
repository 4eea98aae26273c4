// The demo wizard. State lives on the server: after a reload the page asks GET /api/onboarding/init and shows
// the step the user is on. Only the development token (and the name it was minted for) is kept, per browser tab.

import { ApiError, createApi } from './api.js';
import { h } from './dom.js';
import { review, steps } from './steps.js';

const TOKEN_KEY = 'onboarding.token';
const USER_KEY = 'onboarding.user';

const $ = (id) => document.getElementById(id);
const api = createApi(() => sessionStorage.getItem(TOKEN_KEY));

const state = {
  init: null, // GET onboarding/init
  config: null, // GET onboarding/config
  summary: null, // GET onboarding/summary (for the review)
  shown: null, // the step on screen
};

document.addEventListener('DOMContentLoaded', () => {
  $('sign-in-form').addEventListener('submit', onSignIn);
  $('sign-out').addEventListener('click', () => signOut());
  $('step-form').addEventListener('submit', onSubmitStep);
  $('skip-step').addEventListener('click', onSkipStep);
  $('start-over').addEventListener('click', onStartOver);
  if (sessionStorage.getItem(TOKEN_KEY)) {
    void load();
  } else {
    showSignIn();
  }
});

// ---- signing in --------------------------------------------------------------------------------------------------

async function onSignIn(event) {
  event.preventDefault();
  const user = $('user-name').value.trim();
  showProblem($('sign-in-error'), null);
  if (!user) {
    showProblem($('sign-in-error'), new ApiError(400, { detail: 'Enter a user name.' }));
    return;
  }

  await busy(event.submitter, async () => {
    try {
      const token = await api.devToken(user);
      sessionStorage.setItem(TOKEN_KEY, token.access_token);
      sessionStorage.setItem(USER_KEY, user);
      await api.start();
      await load();
    } catch (error) {
      sessionStorage.removeItem(TOKEN_KEY);
      if (error instanceof ApiError && (error.status === 401 || error.status === 404)) {
        error.detail = 'This server does not issue development tokens (it is configured with another issuer).';
      }
      showProblem($('sign-in-error'), error);
    }
  });
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
  Object.assign(state, { init: null, config: null, summary: null, shown: null });
  showSignIn();
  if (message) showProblem($('sign-in-error'), new ApiError(401, { title: 'Signed out.', detail: message }));
}

function showSignIn() {
  $('wizard').hidden = true;
  $('account').hidden = true;
  $('sign-in').hidden = false;
  showProblem($('sign-in-error'), null);
  $('user-name').focus();
}

// ---- loading state from the server -------------------------------------------------------------------------------

/** Reads the user's whole state and shows the step they are on (or the chosen one). */
async function load(show) {
  try {
    const [init, config] = await Promise.all([api.init(), state.config ?? api.config()]);
    state.init = init;
    state.config = config;
    const onboarding = init.onboarding;
    // current_step is the last step done (as the ALwrity frontend reads it); next_step is the one to do.
    const step = show ?? (onboarding.is_completed ? null : onboarding.next_step ?? 6);
    state.summary = step === 6 || step === null ? await api.summary() : null;
    render(step);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      signOut('Your session has ended. Sign in again.');
    } else {
      $('sign-in').hidden = true;
      $('wizard').hidden = false;
      showProblem($('problem'), error);
    }
  }
}

// ---- rendering ---------------------------------------------------------------------------------------------------

function render(step) {
  const onboarding = state.init.onboarding;
  $('sign-in').hidden = true;
  $('wizard').hidden = false;
  $('account').hidden = false;
  $('account-name').textContent = sessionStorage.getItem(USER_KEY) ?? state.init.user.id;

  const percent = onboarding.completion_percentage;
  $('progress-text').textContent = onboarding.is_completed
    ? `Onboarding complete · ${percent}%`
    : `Step ${onboarding.next_step ?? onboarding.steps.length} of ${onboarding.steps.length} · ${percent}% complete`;
  const bar = $('progress-bar');
  bar.setAttribute('aria-valuenow', String(percent));
  bar.setAttribute('aria-valuetext', `${percent}% complete`);
  bar.querySelector('.fill').style.width = `${percent}%`;

  renderStepList(step);
  showProblem($('problem'), null);
  state.shown = step;

  if (step === null) {
    $('step-form').hidden = true;
    $('finished').hidden = false;
    const when = onboarding.completed_at ? new Date(onboarding.completed_at).toLocaleString() : '';
    $('finished-text').textContent = `All done${when ? ` (finished ${when})` : ''}. This is what was saved:`;
    $('finished-summary').replaceChildren(review(state.summary, state.config));
    return;
  }

  const view = onboarding.steps[step - 1];
  const definition = steps[step];
  $('finished').hidden = true;
  $('finished-summary').replaceChildren();
  $('step-form').hidden = false;
  $('step-title').textContent = `Step ${step}: ${view.title}`;
  $('step-description').textContent = view.description;
  $('step-fields').replaceChildren(...definition.render(view.data, { config: state.config, summary: state.summary }));
  $('submit-step').textContent = definition.submitLabel ?? 'Save and continue';
  $('skip-step').hidden = !definition.skippable;
}

function renderStepList(shown) {
  const onboarding = state.init.onboarding;
  const items = onboarding.steps.map((step) => {
    const reachable = step.status !== 'pending' || step.step_number === onboarding.next_step;
    const isShown = step.step_number === shown;
    const status = step.status === 'pending' && step.step_number === onboarding.next_step ? 'current' : step.status;
    return h('li', { class: `step ${status}` },
      h('button', {
        type: 'button',
        class: 'step-link',
        disabled: !reachable || onboarding.is_completed,
        'aria-current': isShown ? 'step' : undefined,
        onclick: () => load(step.step_number),
      }, `${step.step_number}. ${step.title}`),
      h('span', { class: 'step-status' }, status));
  });
  $('step-list').replaceChildren(...items);
}

// ---- actions -----------------------------------------------------------------------------------------------------

async function onSubmitStep(event) {
  event.preventDefault();
  const step = state.shown;
  const definition = steps[step];
  await busy(event.submitter ?? $('submit-step'), async () => {
    try {
      if (step === 6) {
        await api.finish();
        announce('Onboarding complete.');
      } else {
        await api.completeStep(step, definition.collect(event.target, { config: state.config }));
        announce(`Step ${step} saved.`);
      }
      await load();
    } catch (error) {
      handleStepError(error);
    }
  });
}

async function onSkipStep(event) {
  const step = state.shown;
  await busy(event.currentTarget, async () => {
    try {
      await api.skipStep(step);
      announce(`Step ${step} skipped.`);
      await load();
    } catch (error) {
      handleStepError(error);
    }
  });
}

async function onStartOver(event) {
  await busy(event.currentTarget, async () => {
    try {
      await api.reset();
      await api.start();
      announce('Onboarding reset.');
      await load();
    } catch (error) {
      handleStepError(error);
    }
  });
}

function handleStepError(error) {
  if (error instanceof ApiError && error.status === 401) {
    signOut('Your session has ended. Sign in again.');
    return;
  }
  showProblem($('problem'), error);
}

// ---- errors and notices ------------------------------------------------------------------------------------------

/** Shows a ProblemDetails answer: its detail, and each field error both in the list and next to its field. */
function showProblem(container, error) {
  for (const marked of document.querySelectorAll('[aria-invalid="true"]')) marked.removeAttribute('aria-invalid');
  for (const message of document.querySelectorAll('.field-error')) message.remove();
  if (!error) {
    container.hidden = true;
    container.replaceChildren();
    return;
  }

  const problem = error instanceof ApiError ? error : new ApiError(0, { detail: String(error?.message ?? error) });
  const fieldErrors = Object.entries(problem.errors).flatMap(([name, messages]) => messages.map((message) => [name, message]));
  const parts = [
    h('p', { class: 'problem-title' }, problem.title || 'Something went wrong.'),
    h('p', { class: 'problem-detail' }, problem.detail),
  ];
  if (fieldErrors.length) {
    parts.push(h('ul', { class: 'problem-fields' },
      fieldErrors.map(([name, message]) => h('li', {}, h('strong', {}, `${fieldLabel(name)}: `), message))));
  }
  container.replaceChildren(...parts);
  container.hidden = false;

  for (const [name, message] of fieldErrors) {
    const wrapper = document.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (!wrapper) continue;
    const control = wrapper.matches('fieldset') ? wrapper : wrapper.querySelector('input, textarea, select');
    control?.setAttribute('aria-invalid', 'true');
    wrapper.append(h('p', { class: 'field-error' }, message));
  }
}

function fieldLabel(name) {
  const wrapper = document.querySelector(`[data-field="${CSS.escape(name)}"]`);
  const text = wrapper?.querySelector('label, legend')?.firstChild?.textContent;
  return text?.trim() || name;
}

let noticeTimer;
function announce(message) {
  $('notice').textContent = message;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { $('notice').textContent = ''; }, 4000);
}

async function busy(button, action) {
  if (button) button.disabled = true;
  try {
    await action();
  } finally {
    if (button) button.disabled = false;
  }
}
