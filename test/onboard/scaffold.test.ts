// The scaffold's questions: asked on a terminal only for what the flags lack, again after a bad
// answer, and the cloud-specific ones only on that cloud.
import { completeAnswers } from '../../onboard/scaffold.js';

/** An `ask` answering from a list, recording the questions. */
function answering(...answers: string[]) {
  const asked: string[] = [];
  return { asked, ask: async (q: string) => { asked.push(q); return answers.shift(); } };
}

const AGE = 'age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm';

test('on a terminal only what the flags lack is asked', async () => {
  const t = answering('stage', '', '');
  const a = await completeAnswers({ cloud: 'vk', domain: 'stage.company.ru', ageRecipient: AGE }, t.ask);
  expect(t.asked.map((q) => q.split(' ')[0])).toEqual(['environment', 'infrastructure', 'registry']);
  expect(a).toMatchObject({ cloud: 'vk', environment: 'stage', domain: 'stage.company.ru', ageRecipient: AGE });
});

test('a bad answer is asked again', async () => {
  const t = answering('staging', 'stage', '', '');
  const a = await completeAnswers({ cloud: 'vk', domain: 'stage.company.ru', ageRecipient: AGE }, t.ask);
  expect(a.environment).toBe('stage');
  expect(t.asked.filter((q) => q.startsWith('environment'))).toHaveLength(2);
});

test('the Yandex KMS key is asked on Yandex only', async () => {
  const t = answering('', '', 'abj0c0mpanyvau1tst00');
  const a = await completeAnswers({ cloud: 'yandex', environment: 'stage', domain: 'stage.company.ru', ageRecipient: AGE }, t.ask);
  expect(a.kmsKeyId).toBe('abj0c0mpanyvau1tst00');
  expect(t.asked.at(-1)).toMatch(/^Yandex KMS key/);
});

test('a bad flag fails naming the flag and what is valid', async () => {
  await expect(completeAnswers({ cloud: 'aws', environment: 'stage', domain: 'stage.company.ru', ageRecipient: AGE }, undefined))
    .rejects.toThrow('--cloud: received "aws"; expected one of yandex, sber, vk, onprem');
});
