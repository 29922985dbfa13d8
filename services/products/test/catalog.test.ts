import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startProducts, type Products } from './helpers.ts';

let p: Products;
before(async () => {
  p = await startProducts();
});
after(() => p.close());

describe('reads', () => {
  test('a category listing is a query on category-index; a sku lookup uses sku-index', async () => {
    const a = await p.create({ category: 'Gsi Cat', sku: 'GSI-001' });
    await p.create({ category: 'Gsi Other', sku: 'GSI-002' });
    p.sent.length = 0;
    const list = await p.app.inject('/api/products?category=Gsi%20Cat');
    assert.deepEqual(
      list.json().items.map((i: { id: number }) => i.id),
      [a.id],
    );
    assert.ok(p.sent.some((c) => c.name === 'Query' && c.input['IndexName'] === 'category-index'));
    assert.ok(!p.sent.some((c) => c.name === 'Scan'), 'no scan for a category listing');
    p.sent.length = 0;
    const bySku = await p.app.inject('/api/products/sku/GSI-001');
    assert.equal(bySku.json().id, a.id);
    assert.ok(p.sent.some((c) => c.name === 'Query' && c.input['IndexName'] === 'sku-index'));
    assert.equal((await p.app.inject('/api/products/sku/NOPE-999')).statusCode, 404);
  });

  test('paging through 260 products of one category: every one exactly once', async () => {
    const made = new Set<number>();
    for (let i = 0; i < 260; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, (_, j) => p.create({ category: 'Paging', name: `Pager ${i + j}` })),
      );
      batch.forEach((b) => made.add(b.id));
    }
    await Promise.all(Array.from({ length: 15 }, () => p.create({ category: 'Not Paging' })));
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { statusCode: number; json: () => unknown } = await p.app.inject(
        `/api/products?category=Paging&limit=37${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.equal(res.statusCode, 200);
      const body = res.json() as { items: Array<{ id: number; category: string }>; next_cursor: string | null };
      assert.ok(body.items.length <= 37);
      body.items.forEach((i) => assert.equal(i.category, 'Paging'));
      seen.push(...body.items.map((i) => i.id));
      cursor = body.next_cursor;
      pages++;
    } while (cursor && pages < 20);
    assert.equal(seen.length, 260, 'no gap');
    assert.equal(new Set(seen).size, 260, 'no duplicate');
    assert.deepEqual(new Set(seen), made);
  });

  test('text, price and in-stock filters, with paging across filtered pages', async () => {
    const tag = `zq${Date.now()}`;
    const cheap = await p.create({ name: `Cheap ${tag} mug`, price: 3.5, category: 'Filters', stock_quantity: 4 });
    const dear = await p.create({
      name: 'Dear mug',
      description: `A ${tag.toUpperCase()} classic`,
      price: 120,
      category: 'Filters',
      stock_quantity: 0,
    });
    await p.create({ name: 'Unrelated', price: 50, category: 'Filters' });
    const ids = async (qs: string) =>
      (await p.app.inject(`/api/products?${qs}`))
        .json()
        .items.map((i: { id: number }) => i.id)
        .sort();
    assert.deepEqual(await ids(`q=${tag}`), [cheap.id, dear.id].sort(), 'q matches name or description, any case');
    assert.deepEqual(await ids(`q=${tag}&max_price=10`), [cheap.id]);
    assert.deepEqual(await ids(`q=${tag}&min_price=100`), [dear.id]);
    assert.deepEqual(await ids(`q=${tag}&in_stock=true`), [cheap.id]);
    assert.deepEqual(await ids(`category=Filters&q=${tag}&in_stock=true`), [cheap.id]);
    const first = (await p.app.inject(`/api/products?q=${tag}&limit=1`)).json();
    assert.equal(first.items.length, 1);
    const second = (await p.app.inject(`/api/products?q=${tag}&limit=1&cursor=${first.next_cursor}`)).json();
    assert.equal(second.items.length, 1);
    assert.notEqual(second.items[0].id, first.items[0].id);
  });

  test('odd price bounds (subnormal, sub-cent, huge exponents) are answered, never a 500', async () => {
    const tag = `zp${Date.now()}`;
    const cheap = await p.create({ name: `Edge ${tag}`, price: 19.99, category: 'Edges' });
    const ids = async (qs: string) => {
      const res = await p.app.inject(`/api/products?q=${tag}&${qs}`);
      assert.equal(res.statusCode, 200, `${qs}: ${res.body}`);
      return res.json().items.map((i: { id: number }) => i.id);
    };
    assert.deepEqual(await ids('min_price=2.2250738585e-313'), [cheap.id]);
    assert.deepEqual(await ids('max_price=4.9e-324'), []);
    assert.deepEqual(await ids('min_price=19.989'), [cheap.id], 'rounded up to 19.99');
    assert.deepEqual(await ids('min_price=19.991'), [], 'rounded up to 20.00');
    assert.deepEqual(await ids('max_price=19.999&min_price=1e-5'), [cheap.id]);
    assert.equal((await p.app.inject('/api/products?min_price=1e400')).statusCode, 400);
  });

  test('a cursor is bound to its query; a forged one is a 400', async () => {
    await p.create({ category: 'Cursor' });
    await p.create({ category: 'Cursor' });
    const page = (await p.app.inject('/api/products?category=Cursor&limit=1')).json();
    assert.ok(page.next_cursor);
    assert.equal(
      (await p.app.inject(`/api/products?category=Paging&limit=1&cursor=${page.next_cursor}`)).statusCode,
      400,
    );
    assert.equal((await p.app.inject('/api/products?cursor=not-a-cursor')).json().code, 'invalid_cursor');
    assert.equal((await p.app.inject('/api/products?limit=101')).statusCode, 400);
    assert.equal((await p.app.inject('/api/products?min_price=10&max_price=5')).statusCode, 400);
  });

  test('categories with counts', async () => {
    await p.create({ category: 'Counted' });
    await p.create({ category: 'Counted' });
    const res = await p.app.inject('/api/products/categories');
    const counted = res.json().items.find((c: { name: string }) => c.name === 'Counted');
    assert.deepEqual(counted, { name: 'Counted', product_count: 2 });
  });
});

describe('writes', () => {
  test('only an admin writes: a customer gets 403, no token 401, and nothing changes', async () => {
    const item = await p.create();
    const attempts = [
      { method: 'POST' as const, url: '/api/products', payload: { name: 'x', price: 1, category: 'c', sku: 'NOPE-1' } },
      { method: 'PUT' as const, url: `/api/products/${item.id}`, payload: { price: 0.01 } },
      { method: 'DELETE' as const, url: `/api/products/${item.id}` },
      { method: 'PATCH' as const, url: `/api/products/${item.id}/stock`, payload: { delta: -10 } },
    ];
    for (const a of attempts) {
      assert.equal((await p.app.inject({ ...a, headers: p.customer })).statusCode, 403, `${a.method} as customer`);
      assert.equal((await p.app.inject(a)).statusCode, 401, `${a.method} without a token`);
    }
    const after = (await p.app.inject(`/api/products/${item.id}`)).json();
    assert.deepEqual([after.price, after.stock_quantity], [9.99, 10]);
  });

  test('invalid bodies are 400 problems listing the fields', async () => {
    const bad = async (payload: Record<string, unknown>, field: string) => {
      const res = await p.app.inject({
        method: 'POST',
        url: '/api/products',
        headers: p.admin,
        payload: { name: 'Valid', price: 1, category: 'C', sku: 'VALID-1', ...payload },
      });
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.ok(
        res.json().errors.some((e: { field: string }) => e.field === field),
        `${field} in ${res.body}`,
      );
    };
    await bad({ price: -1 }, 'price');
    await bad({ price: 1.999 }, 'price');
    await bad({ price: '9.99' }, 'price');
    await bad({ stock_quantity: -3 }, 'stock_quantity');
    await bad({ stock_quantity: 1.5 }, 'stock_quantity');
    await bad({ sku: 'lower-case' }, 'sku');
    await bad({ name: '   ' }, 'name');
    await bad({ image_url: 'ftp://example.com/a.png' }, 'image_url');
    await bad({ id: 5 }, 'id');
    const patch = await p.app.inject({
      method: 'PUT',
      url: '/api/products/1',
      headers: p.admin,
      payload: { stock_quantity: 5 },
    });
    assert.equal(patch.statusCode, 400, 'stock moves only through PATCH /stock');
    const badStock = await p.app.inject({
      method: 'PATCH',
      url: '/api/products/1/stock',
      headers: p.admin,
      payload: { delta: 1, stock_quantity: 2 },
    });
    assert.equal(badStock.statusCode, 400);
  });

  test('image URLs that point inside the network are refused', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://metadata.google.internal/x',
      'http://localhost/a.png',
      'http://127.0.0.1/a.png',
      'http://2130706433/a.png',
      'http://[::1]/a.png',
      'http://10.0.0.5/a.png',
      'http://192.168.1.1/a.png',
      'https://[fd00::1]/a.png',
      'http://[::ffff:169.254.169.254]/',
    ]) {
      const res = await p.app.inject({
        method: 'POST',
        url: '/api/products',
        headers: p.admin,
        payload: { name: 'Pic', price: 1, category: 'C', sku: 'PIC-1', image_url: url },
      });
      assert.equal(res.statusCode, 400, url);
    }
    const ok = await p.create({ sku: 'PIC-OK', image_url: 'https://cdn.example.com/a.png' });
    assert.equal(ok.sku, 'PIC-OK');
    await p.create({ sku: 'PIC-SELF', image_url: '/api/products/images/PIC-SELF.svg' });
  });

  test('read, update, read: the second read sees the new price at once', async () => {
    const item = await p.create({ price: 10 });
    assert.equal((await p.app.inject(`/api/products/${item.id}`)).json().price, 10);
    await p.app.inject('/api/products?category=Misc');
    const put = await p.app.inject({
      method: 'PUT',
      url: `/api/products/${item.id}`,
      headers: p.admin,
      payload: { price: 12.5, name: 'Renamed' },
    });
    assert.equal(put.statusCode, 200);
    const read = (await p.app.inject(`/api/products/${item.id}`)).json();
    assert.deepEqual([read.price, read.name], [12.5, 'Renamed']);
    const listed = (await p.app.inject('/api/products?category=Misc&limit=100'))
      .json()
      .items.find((i: { id: number }) => i.id === item.id);
    assert.equal(listed.price, 12.5);
  });

  test('a duplicate sku is 409, also when two creates race', async () => {
    await p.create({ sku: 'DUP-1' });
    const again = await p.app.inject({
      method: 'POST',
      url: '/api/products',
      headers: p.admin,
      payload: { name: 'x', price: 1, category: 'C', sku: 'DUP-1' },
    });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'sku_taken');
    const racing = await Promise.all(
      Array.from({ length: 8 }, () =>
        p.app.inject({
          method: 'POST',
          url: '/api/products',
          headers: p.admin,
          payload: { name: 'r', price: 1, category: 'Race', sku: 'RACE-1' },
        }),
      ),
    );
    assert.deepEqual(racing.map((r) => r.statusCode).sort(), [201, 409, 409, 409, 409, 409, 409, 409]);
    const other = await p.create({ sku: 'DUP-2' });
    assert.equal(
      (
        await p.app.inject({
          method: 'PUT',
          url: `/api/products/${other.id}`,
          headers: p.admin,
          payload: { sku: 'DUP-1' },
        })
      ).statusCode,
      409,
    );
  });

  test('a sku freed by a delete or a rename can be used again', async () => {
    const a = await p.create({ sku: 'FREE-1' });
    assert.equal(
      (await p.app.inject({ method: 'DELETE', url: `/api/products/${a.id}`, headers: p.admin })).statusCode,
      204,
    );
    assert.equal((await p.app.inject(`/api/products/${a.id}`)).statusCode, 404);
    const b = await p.create({ sku: 'FREE-1' });
    await p.app.inject({ method: 'PUT', url: `/api/products/${b.id}`, headers: p.admin, payload: { sku: 'FREE-2' } });
    await p.create({ sku: 'FREE-1' });
    assert.equal((await p.app.inject('/api/products/sku/FREE-2')).json().id, b.id);
  });
});
