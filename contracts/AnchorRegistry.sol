// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title AnchorRegistry
/// @notice Anchors the Merkle roots of the exchange's record batches: rights certificates,
/// listing decisions, filings, settlements, rulings and audit-log entries. The exchange seals
/// records into a batch off chain, anchors the batch's root here once, and serves each record
/// a proof that anyone can check with `verify` (OpenZeppelin's standard Merkle tree: leaves
/// are keccak256(keccak256(abi.encode(...))), pairs hashed in sorted order).
contract AnchorRegistry is AccessControl {
    bytes32 public constant ANCHORER_ROLE = keccak256("ANCHORER_ROLE");

    struct Anchor {
        bytes32 root;
        uint64 timestamp;
        uint64 blockNumber;
        uint32 recordCount;
    }

    mapping(bytes32 batchId => Anchor) private _anchors;

    /// @notice A batch's Merkle root was anchored.
    /// @param batchId the exchange's id of the batch (uuid, left-aligned)
    /// @param root the Merkle root of the batch's records
    /// @param recordCount how many records (leaves) the batch holds
    event BatchAnchored(bytes32 indexed batchId, bytes32 root, uint32 recordCount);

    /// @notice The batch was anchored before; an anchor is never replaced.
    /// @param batchId the id that was given
    error AnchorAlreadyExists(bytes32 batchId);

    /// @notice A batch must hold at least one record.
    /// @param batchId the id that was given
    error EmptyBatch(bytes32 batchId);

    /// @notice The zero root is what an unknown batch reads as, so it cannot be anchored.
    /// @param batchId the id that was given
    error ZeroRoot(bytes32 batchId);

    /// @param admin the exchange operator's address; it holds the admin and anchorer roles
    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ANCHORER_ROLE, admin);
    }

    /// @notice Anchors a batch's Merkle root, once. Only an anchorer may call it.
    /// @param batchId the exchange's id of the batch
    /// @param root the Merkle root of the batch's records
    /// @param recordCount how many records the batch holds
    function anchor(bytes32 batchId, bytes32 root, uint32 recordCount) external onlyRole(ANCHORER_ROLE) {
        if (_anchors[batchId].root != bytes32(0)) revert AnchorAlreadyExists(batchId);
        if (recordCount == 0) revert EmptyBatch(batchId);
        if (root == bytes32(0)) revert ZeroRoot(batchId);
        _anchors[batchId] = Anchor(root, uint64(block.timestamp), uint64(block.number), recordCount);
        emit BatchAnchored(batchId, root, recordCount);
    }

    /// @notice The anchored root of a batch (zero when the batch is unknown).
    /// @param batchId the exchange's id of the batch
    function rootOf(bytes32 batchId) external view returns (bytes32) {
        return _anchors[batchId].root;
    }

    /// @notice How many records the anchored batch holds (zero when the batch is unknown).
    /// @param batchId the exchange's id of the batch
    function recordCountOf(bytes32 batchId) external view returns (uint32) {
        return _anchors[batchId].recordCount;
    }

    /// @notice When the batch was anchored (zeros when the batch is unknown).
    /// @param batchId the exchange's id of the batch
    /// @return timestamp the anchoring block's timestamp
    /// @return blockNumber the anchoring block's number
    function anchoredAt(bytes32 batchId) external view returns (uint64 timestamp, uint64 blockNumber) {
        Anchor storage a = _anchors[batchId];
        return (a.timestamp, a.blockNumber);
    }

    /// @notice Whether a leaf belongs to an anchored batch; false for an unknown batch.
    /// @param batchId the exchange's id of the batch
    /// @param leaf the standard leaf hash: keccak256(bytes.concat(keccak256(abi.encode(kindHash, recordIdHash, contentHash))))
    /// @param proof the sibling hashes from the leaf up to the root
    function verify(bytes32 batchId, bytes32 leaf, bytes32[] calldata proof) external view returns (bool) {
        bytes32 root = _anchors[batchId].root;
        if (root == bytes32(0)) return false;
        return MerkleProof.verifyCalldata(proof, root, leaf);
    }
}
