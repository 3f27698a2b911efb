import sys, json, random, re, collections, glob, os
HERE=os.path.dirname(os.path.abspath(__file__)); sys.path.insert(0,HERE)
exec(open(os.path.join(HERE,'gen1.py')).read())
for f in ['gen2','gen3','gen4','gen5','gen7','gen9','gen11']: exec(open(os.path.join(HERE,f+'.py')).read())
random.seed(7); random.shuffle(ITEMS)
out=[]
for i,it in enumerate(ITEMS,1):
    out.append({"id":f"u{i:03d}", **it})
# validation
inv=set(r[0] for r in DB.execute("select code from inventory"))
texts=set()
for it in out:
    assert it['intent'] in "inclusion pair units family lookup describe out_of_scope injection".split(), it
    v=it['expect']['verdict']; assert v in (None,'included','separate','not_stated','out_of_scope')
    for c in it['expect']['codes']+[x for x in it['expect']['must_not_mention'] if re.fullmatch(r'[0-9A-Z]\d{3}[0-9A-Z]',x)]:
        assert c in inv or c in REC, ('unknown code',c,it['id'])
    for c in it['expect']['codes']:
        assert c not in it['expect']['must_not_mention']
    t=' | '.join(it['turns']); assert t not in texts; texts.add(t)
    assert it['source']
# copied-sentence check: 7-word shingles against record bodies
bodies=' '.join(open(f).read().lower() for f in glob.glob('knowledge/**/*.md',recursive=True))
bw=re.findall(r"[a-z0-9']+",bodies); sh=set(tuple(bw[i:i+7]) for i in range(len(bw)-6))
for it in out:
    for t in it['turns']:
        w=re.findall(r"[a-z0-9']+",t.lower())
        hits=[' '.join(w[i:i+7]) for i in range(len(w)-6) if tuple(w[i:i+7]) in sh]
        if hits: print('OVERLAP',it['id'],hits[:2])
import os; os.makedirs('evals/datasets/unseen',exist_ok=True)
with open('evals/datasets/unseen/unseen.jsonl','w') as f:
    for it in out: f.write(json.dumps(it,ensure_ascii=False)+'\n')
kinds=collections.Counter(t for it in out for t in it['tags'] if t.startswith('kind:'))
styles=collections.Counter(t for it in out for t in it['tags'] if t.startswith('style:'))
verd=collections.Counter(str(it['expect']['verdict']) for it in out)
intents=collections.Counter(it['intent'] for it in out)
kv=collections.Counter((t,str(it['expect']['verdict'])) for it in out for t in it['tags'] if t.startswith('kind:'))
print(len(out)); print(sorted(kinds.items(),key=lambda x:int(x[0][5:]))); print(styles); print(verd); print(intents)
print(sorted(kv.items(),key=lambda x:(int(x[0][0][5:]),x[0][1])))
print('multi-turn',sum(len(it['turns'])>1 for it in out))
