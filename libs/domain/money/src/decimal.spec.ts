import { decimalsEqual, multiplyDecimals, parseExactDecimal, scaledToDecimal } from './decimal';

describe('exact decimals', () => {
  it.each([
    [1411n, 6, '0.001411'],
    [-12n, 9, '-0.000000012'],
    [3000n, 3, '3'],
    [0n, 15, '0'],
    [123456789012345678901234567890n, 24, '123456.78901234567890123456789'],
  ])('scaledToDecimal(%s, %s) = %s', (units, scale, text) =>
    expect(scaledToDecimal(units, scale)).toBe(text),
  );

  it.each([
    [['3', '0.001411'], '0.004233'],
    [['3', '0.001411', '0.9'], '0.0038097'],
    [['0.075', '1.083333333'], '0.081249999975'],
    [['-1.5', '2'], '-3'],
  ])('multiplyDecimals(%j) = %s', (factors, product) => expect(multiplyDecimals(...factors)).toBe(product));

  it('compares by value and refuses what is not a plain decimal', () => {
    expect(decimalsEqual('1.50', '1.5')).toBe(true);
    expect(decimalsEqual('1.500000000000000000001', '1.5')).toBe(false);
    for (const bad of ['1e5', '', '.5', '1.', '0x10', ' 1'])
      expect(() => parseExactDecimal(bad)).toThrow(RangeError);
  });
});
