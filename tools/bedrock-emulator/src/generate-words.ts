const vocabulary = (
  'the a model stream token answer request turn queue worker thread river mountain signal value result ' +
  'quickly gently clearly careful bright quiet steady simple early later every other small large green ' +
  'blue north south window garden letter number system method reason detail moment question picture ' +
  'runs brings holds makes finds keeps shows turns sends reads writes checks builds moves waits lands'
).split(' ');

/**
 * `count` deterministic tokens of English-looking text. Each token is one word with its leading space
 * (the first has none); sentences are capitalised and end with a period.
 */
export function generateWords(random: () => number, count: number): string[] {
  const out: string[] = [];
  let sentenceLeft = 0;
  for (let i = 0; i < count; i++) {
    let word = vocabulary[Math.floor(random() * vocabulary.length)] ?? 'token';
    if (sentenceLeft === 0) {
      word = word[0]?.toUpperCase() + word.slice(1);
      sentenceLeft = 5 + Math.floor(random() * 8);
    }
    sentenceLeft--;
    if (sentenceLeft === 0 || i === count - 1) word += '.';
    out.push(i === 0 ? word : ` ${word}`);
  }
  return out;
}

/** Splits a given text into tokens the way the emulator counts them (whitespace + word). */
export function tokenizeText(text: string): string[] {
  return text.match(/\s*\S+\s*$|\s*\S+/g) ?? (text.length > 0 ? [text] : []);
}
