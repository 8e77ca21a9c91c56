/*
 * H5P.TtdnQuestion 1.0: one yes/no question. Written for this platform (MIT), so that tests and
 * the demo need no third-party content type. On answer it reports through H5P's EventDispatcher:
 * triggerXAPIScored(score, maxScore, 'answered') gives result.score {min, max, raw, scaled},
 * result.completion and (passed as `success`) result.success.
 */
var H5P = H5P || {};

H5P.TtdnQuestion = (function (EventDispatcher) {
  'use strict';

  function TtdnQuestion(params, contentId, extras) {
    EventDispatcher.call(this);
    var l10n = (params && params.l10n) || {};
    this.params = {
      question: (params && params.question) || '',
      correct: (params && params.correct) === 'no' ? 'no' : 'yes',
      l10n: {
        yes: l10n.yes || 'Yes',
        no: l10n.no || 'No',
        right: l10n.right || 'Correct!',
        wrong: l10n.wrong || 'Not quite.'
      }
    };
    this.contentId = contentId;
    this.extras = extras || {};
    this.answer = null;
    this.buttons = [];
    /* Resume: H5P core hands back what getCurrentState() returned last time. */
    var previous = this.extras.previousState;
    this.previousAnswer = previous && (previous.answer === 'yes' || previous.answer === 'no') ? previous.answer : null;
  }

  TtdnQuestion.prototype = Object.create(EventDispatcher.prototype);
  TtdnQuestion.prototype.constructor = TtdnQuestion;

  /* H5P hands over a jQuery-wrapped element; only the DOM node is used. */
  TtdnQuestion.prototype.attach = function ($container) {
    var self = this;
    var root = ($container && $container.get) ? $container.get(0) : $container;
    root.classList.add('h5p-ttdn-question');
    root.textContent = '';

    var question = document.createElement('p');
    question.className = 'ttdn-text';
    question.textContent = this.params.question; /* text, never HTML */
    question.id = 'ttdn-q-' + this.contentId;
    root.appendChild(question);

    var group = document.createElement('div');
    group.className = 'ttdn-buttons';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-labelledby', question.id);
    ['yes', 'no'].forEach(function (value) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'ttdn-answer ttdn-answer-' + value;
      button.setAttribute('data-answer', value);
      button.textContent = self.params.l10n[value];
      button.addEventListener('click', function () { self.answerWith(value); });
      group.appendChild(button);
      self.buttons.push(button);
    });
    root.appendChild(group);

    this.feedback = document.createElement('p');
    this.feedback.className = 'ttdn-feedback';
    this.feedback.setAttribute('role', 'status');
    this.feedback.setAttribute('aria-live', 'polite');
    root.appendChild(this.feedback);

    if (this.previousAnswer !== null) {
      this.answerWith(this.previousAnswer, true); /* shown as answered, not reported again */
    }
    else if (typeof this.setActivityStarted === 'function') {
      this.setActivityStarted(); /* sends "attempted" */
    }
  };

  TtdnQuestion.prototype.answerWith = function (value, restoring) {
    if (this.answer !== null) {
      return;
    }
    this.answer = value;
    var right = value === this.params.correct;
    this.buttons.forEach(function (button) {
      button.disabled = true;
      button.setAttribute('aria-pressed', button.getAttribute('data-answer') === value ? 'true' : 'false');
    });
    this.feedback.textContent = right ? this.params.l10n.right : this.params.l10n.wrong;
    this.feedback.classList.add(right ? 'is-right' : 'is-wrong');
    if (!restoring) {
      this.triggerXAPIScored(this.getScore(), this.getMaxScore(), 'answered', true, right);
    }
  };

  /* What to resume from (H5P core saves it with the learner's other data). */
  TtdnQuestion.prototype.getCurrentState = function () {
    return this.answer === null ? undefined : { answer: this.answer };
  };

  /* H5P question-type contract, used by containers and by "retry" buttons. */
  TtdnQuestion.prototype.getAnswerGiven = function () { return this.answer !== null; };
  TtdnQuestion.prototype.getScore = function () { return this.answer === this.params.correct ? 1 : 0; };
  TtdnQuestion.prototype.getMaxScore = function () { return 1; };
  TtdnQuestion.prototype.showSolutions = function () {
    var correct = this.params.correct;
    this.buttons.forEach(function (button) {
      if (button.getAttribute('data-answer') === correct) { button.classList.add('ttdn-solution'); }
    });
  };
  TtdnQuestion.prototype.resetTask = function () {
    this.answer = null;
    this.buttons.forEach(function (button) {
      button.disabled = false;
      button.removeAttribute('aria-pressed');
      button.classList.remove('ttdn-solution');
    });
    if (this.feedback) {
      this.feedback.textContent = '';
      this.feedback.className = 'ttdn-feedback';
    }
  };
  TtdnQuestion.prototype.getTitle = function () {
    return H5P.createTitle((this.extras.metadata && this.extras.metadata.title) || 'Yes/no question');
  };

  return TtdnQuestion;
})(H5P.EventDispatcher);
