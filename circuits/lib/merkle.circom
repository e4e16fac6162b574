pragma circom 2.1.0;

// Poseidon binary Merkle trees as the exchange builds them (sdk/zk/dataset-commitment.ts):
// node = Poseidon(left, right), an empty leaf is 0, and an empty subtree of height h hashes to
// zeroHash(h). Every tree has a fixed depth, so a leaf can never be confused with an inner node.

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/switcher.circom";

/// zeroHash(0) = 0, zeroHash(h + 1) = Poseidon(zeroHash(h), zeroHash(h)): the root of an empty
/// subtree of height h. The same table is computed by zeroHashes() in sdk/zk/dataset-commitment.ts
/// and a test holds the two together.
function zeroHash(height) {
    var z[33] = [
        0,
        14744269619966411208579211824598458697587494354926760081771325075741142829156,
        7423237065226347324353380772367382631490014989348495481811164164159255474657,
        11286972368698509976183087595462810875513684078608517520839298933882497716792,
        3607627140608796879659380071776844901612302623152076817094415224584923813162,
        19712377064642672829441595136074946683621277828620209496774504837737984048981,
        20775607673010627194014556968476266066927294572720319469184847051418138353016,
        3396914609616007258851405644437304192397291162432396347162513310381425243293,
        21551820661461729022865262380882070649935529853313286572328683688269863701601,
        6573136701248752079028194407151022595060682063033565181951145966236778420039,
        12413880268183407374852357075976609371175688755676981206018884971008854919922,
        14271763308400718165336499097156975241954733520325982997864342600795471836726,
        20066985985293572387227381049700832219069292839614107140851619262827735677018,
        9394776414966240069580838672673694685292165040808226440647796406499139370960,
        11331146992410411304059858900317123658895005918277453009197229807340014528524,
        15819538789928229930262697811477882737253464456578333862691129291651619515538,
        19217088683336594659449020493828377907203207941212636669271704950158751593251,
        21035245323335827719745544373081896983162834604456827698288649288827293579666,
        6939770416153240137322503476966641397417391950902474480970945462551409848591,
        10941962436777715901943463195175331263348098796018438960955633645115732864202,
        15019797232609675441998260052101280400536945603062888308240081994073687793470,
        11702828337982203149177882813338547876343922920234831094975924378932809409969,
        11217067736778784455593535811108456786943573747466706329920902520905755780395,
        16072238744996205792852194127671441602062027943016727953216607508365787157389,
        17681057402012993898104192736393849603097507831571622013521167331642182653248,
        21694045479371014653083846597424257852691458318143380497809004364947786214945,
        8163447297445169709687354538480474434591144168767135863541048304198280615192,
        14081762237856300239452543304351251708585712948734528663957353575674639038357,
        16619959921569409661790279042024627172199214148318086837362003702249041851090,
        7022159125197495734384997711896547675021391130223237843255817587255104160365,
        4114686047564160449611603615418567457008101555090703535405891656262658644463,
        12549363297364877722388257367377629555213421373705596078299904496781819142130,
        21443572485391568159800782191812935835534334817699172242223315142338162256601
    ];
    return z[height];
}

/// The root reached from `leaf` up `depth` levels. pathBits[l] is 1 when the node at level l is
/// a right child (the bits of the leaf's index, least significant first); the caller must
/// constrain them to be bits (they come out of Num2Bits everywhere here).
template BinaryMerkleRoot(depth) {
    signal input leaf;
    signal input pathBits[depth];
    signal input siblings[depth];
    signal output root;

    signal nodes[depth + 1];
    component order[depth];
    component hash[depth];
    nodes[0] <== leaf;
    for (var l = 0; l < depth; l++) {
        order[l] = Switcher();
        order[l].sel <== pathBits[l];
        order[l].L <== nodes[l];
        order[l].R <== siblings[l];
        hash[l] = Poseidon(2);
        hash[l].inputs[0] <== order[l].outL;
        hash[l].inputs[1] <== order[l].outR;
        nodes[l + 1] <== hash[l].out;
    }
    root <== nodes[depth];
}

/// The root of the complete subtree over 2^levels consecutive leaves.
template SubtreeRoot(levels) {
    var n = 1 << levels;
    signal input leaves[n];
    signal output root;

    // Heap order: nodes[0 .. n-1] are the leaves, nodes[n + i] = Poseidon(nodes[2i], nodes[2i+1]).
    signal nodes[2 * n - 1];
    component hash[n - 1];
    for (var i = 0; i < n; i++) nodes[i] <== leaves[i];
    for (var i = 0; i < n - 1; i++) {
        hash[i] = Poseidon(2);
        hash[i].inputs[0] <== nodes[2 * i];
        hash[i].inputs[1] <== nodes[2 * i + 1];
        nodes[n + i] <== hash[i].out;
    }
    root <== nodes[2 * n - 2];
}

/// When `enabled` is 1: every sibling where the path goes left (pathBits[l] = 0) is an empty
/// subtree, i.e. no leaf to the right of this path's leaf holds anything. `firstHeight` is the
/// height of the path's bottom node (0 for a leaf, log2 R for a chunk's subtree).
template NothingToTheRight(depth, firstHeight) {
    signal input enabled;
    signal input pathBits[depth];
    signal input siblings[depth];

    signal goesLeft[depth];
    for (var l = 0; l < depth; l++) {
        goesLeft[l] <== enabled * (1 - pathBits[l]);
        goesLeft[l] * (siblings[l] - zeroHash(firstHeight + l)) === 0;
    }
}
